import Foundation
import SalvageTestSupport
import Testing

/// Bad input gets one line on stderr and a documented exit code, and loses nothing journaled.
@Suite(.tags(.integration)) struct BadInputTests {
  static let cases: [(arguments: [String], status: Int32, message: String)] = [
    (["open", "--deployment", "orders", "--bad-build", "", "--good-build", "v1"], 64, "bad build id is empty"),
    (["open", "--deployment", "orders", "--bad-build", "v 2\n", "--good-build", "v1"], 64, "malformed"),
    (["open", "--deployment", "or:ders", "--bad-build", "v2", "--good-build", "v1"], 64, "must not contain"),
    (["open", "--deployment", "orders", "--bad-build", "v1", "--good-build", "v1"], 64, "both 'v1'"),
    (["open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident", "inc-1"], 3, "already exists"),
    (["open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident", "bad id"], 64, "malformed"),
    (["status", "--incident", "nope"], 3, "no incident nope"),
    (["note", ""], 64, "note is empty"),
    (["note", "x", "--operator", ""], 64, "operator name is empty"),
    (["log", "--output", "yaml"], 64, "yaml"),
    (["frobnicate"], 64, "frobnicate"),
  ]

  @Test(arguments: cases.indices)
  func badInputIsOneLineWithADocumentedCodeAndTouchesNothing(index: Int) throws {
    let (arguments, status, message) = Self.cases[index]
    // Given a journal with an incident and a note
    let fixture = try CLIFixture()
    try fixture.openIncident()
    try fixture.salvage("note", "keep me")
    let before = try fixture.rawLog()
    // When the bad command runs
    let result = try SalvageProcess.run(arguments, environment: fixture.environment)
    // Then it fails with one clear line and the documented code
    #expect(result.status == status, "\(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("salvage: "))
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(result.stdout.isEmpty)
    // And the journal is exactly as it was
    #expect(try fixture.rawLog() == before)
    #expect(try fixture.salvage("verify").status == 0)
  }

  @Test func aJournalThatIsNotSQLiteIsRefusedAndNotOverwritten() throws {
    let fixture = try CLIFixture()
    let notes = Data("on-call notes\n".utf8)
    try notes.write(to: URL(fileURLWithPath: fixture.journal))
    let result = try fixture.salvage(
      "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1")
    #expect(result.status == 4)
    #expect(result.stderr == "salvage: \(fixture.journal) is not an SQLite database, so not a salvage journal\n")
    #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.journal)) == notes)
  }

  @Test func aMissingJournalIsReportedAndNotCreated() throws {
    let fixture = try CLIFixture()
    let result = try fixture.salvage("status")
    #expect(result.status == 4)
    #expect(result.stderr.contains("no journal at \(fixture.journal)"))
    #expect(!FileManager.default.fileExists(atPath: fixture.journal))
  }

  @Test func aDirectoryGivenAsTheJournalIsUnreadable() throws {
    let fixture = try CLIFixture()
    let result = try fixture.salvage("status", "--journal", fixture.directory.url.path)
    #expect(result.status == 4)
    #expect(result.stderr.contains("not a regular file"))
  }
}
