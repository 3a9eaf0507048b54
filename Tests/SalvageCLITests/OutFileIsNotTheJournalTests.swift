import Foundation
import SalvageFakes
import Testing

/// A file a command writes (`--out`, `handoff --export`) is never the journal itself, nor its
/// `-wal` or `-shm`: those are refused in one line with exit 64, and the journal stays as it was.
@Suite(.tags(.integration)) struct OutFileIsNotTheJournalTests {
  /// Each command that writes a file, with OUT for the path it is given.
  static let commands: [[String]] = [
    ["timeline", "--out", "OUT"],
    ["timeline", "--format", "html", "--out", "OUT"],
    ["export", "--out", "OUT"],
    ["targets", "--out", "OUT"],
    ["handoff", "--to", "bob", "--export", "OUT"],
  ]

  /// How the journal is named: its own path, other spellings of it (through a linked directory
  /// too), a hard link, its side files (whether SQLite has them open or not).
  enum Alias: String, CaseIterable, Sendable {
    case itself, dotted, linkedDirectory, hardLink, wal, shm, signingKey, publicKey

    /// The path to give as OUT, made ready in `fixture`; and what the refusal says it is.
    func path(in fixture: CLIFixture) throws -> (out: String, what: String) {
      switch self {
      case .itself: return (fixture.journal, "the journal")
      case .dotted:
        return (fixture.directory.url.path + "/./incident.sqlite", "the journal")
      case .linkedDirectory:
        let directory = fixture.directory.path("same-directory")
        try FileManager.default.createSymbolicLink(
          atPath: directory, withDestinationPath: fixture.directory.url.path)
        return (directory + "/incident.sqlite", "the journal")
      case .hardLink:
        let other = fixture.directory.path("other-name.sqlite")
        #expect(link(fixture.journal, other) == 0)
        return (other, "the journal")
      case .wal: return (fixture.journal + "-wal", "the journal's -wal file")
      case .shm: return (fixture.journal + "-shm", "the journal's -shm file")
      case .signingKey: return (fixture.journal + ".key", "the journal's signing key")
      case .publicKey: return (fixture.journal + ".key.pub", "the journal's public signing key")
      }
    }
  }

  @Test(arguments: commands.indices, Alias.allCases)
  func aFileWrittenOverTheJournalIsRefusedAndTheJournalIsUntouched(index: Int, alias: Alias)
    async throws
  {
    // Given a journal with an incident and a note
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "keep me")
    let before = try await fixture.rawLog()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.journal))
    let (out, what) = try alias.path(in: fixture)
    // When a command is told to write its file there
    let arguments = Self.commands[index].map { $0 == "OUT" ? out : $0 }
    let result = try await SalvageProcess.run(arguments, environment: fixture.environment)
    // Then it is refused in one line with exit 64, naming the path and what it is
    #expect(result.status == 64, "\(arguments): \(result.stderr)")
    #expect(
      result.stderr
        == "salvage: \(out) is \(what) (\(fixture.journal)); write to another file (see 'salvage help')\n"
    )
    #expect(result.stdout.isEmpty)
    // And the journal is exactly as it was: same bytes, same events, nothing sealed, it verifies
    #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.journal)) == bytes)
    #expect(try await fixture.rawLog() == before)
    #expect(try await fixture.salvage("verify").status == 0)
  }
}
