import Foundation
import SalvageFakes
import Testing

@Suite(.tags(.integration)) struct ExportImportTests {
  /// An incident with notes and a handoff, exported to a file.
  func exported() async throws -> (CLIFixture, String) {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "first note")
    try await fixture.salvage("handoff", "--to", "bob", "--note", "over to you")
    let file = fixture.directory.path("inc-1.jsonl")
    let result = try await fixture.salvage("export", "--out", file)
    #expect(result.status == 0, "\(result.stderr)")
    return (fixture, file)
  }

  @Test func anExportImportsIntoAnotherJournalAndVerifies() async throws {
    let (fixture, file) = try await exported()
    let target = fixture.directory.path("other.sqlite")
    let imported = try await fixture.salvage("import", file, "--journal", target)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("Imported inc-1: 3 events, verified."))
    #expect(imported.stdout.contains("It is a read-only copy: 'salvage import --adopt \(file)'"))
    // Same events, same ids, times, actors and hashes, then the import's own record; it verifies
    func events(_ journal: String) async throws -> [String] {
      try await fixture.salvage("log", "--journal", journal, "--output", "jsonl").stdout.split(
        separator: "\n"
      ).map {
        var object = try #require(
          try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        object["position"] = nil
        return String(
          decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys),
          as: UTF8.self)
      }
    }
    let copied = try await events(target)
    await #expect(Array(copied.dropLast()) == (try events(fixture.journal)))
    #expect(copied.last?.contains(#""type":"IncidentImported""#) == true)
    #expect(copied.last?.contains(#""mode":"copy""#) == true)
    #expect(try await fixture.salvage("verify", "--journal", target).status == 0)
    #expect(
      try await fixture.salvage("status", "--journal", target).stdout.contains("held by     bob"))
    // And importing it twice is refused
    let again = try await fixture.salvage("import", file, "--journal", target)
    #expect(again.status == 3)
    #expect(
      again.stderr
        == "salvage: export refused: incident inc-1 already exists in \(target); nothing was imported\n"
    )
  }

  @Test func aTamperedExportIsRefusedAndNothingIsImported() async throws {
    let (fixture, file) = try await exported()
    var text = try String(contentsOfFile: file, encoding: .utf8)
    text = text.replacingOccurrences(of: "first note", with: "first n0te")
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let target = fixture.directory.path("other.sqlite")
    let result = try await fixture.salvage("import", file, "--journal", target)
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "salvage: \(file): export refused at line 3: hash chain broken: the event's content does "
        + "not match its hash; nothing was imported\n")
    #expect(!FileManager.default.fileExists(atPath: target))
  }

  @Test func aTruncatedExportIsRefused() async throws {
    let (fixture, file) = try await exported()
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
    try (lines.dropLast().joined(separator: "\n") + "\n").write(
      toFile: file, atomically: true, encoding: .utf8)
    let result = try await fixture.salvage(
      "import", file, "--journal", fixture.directory.path("other.sqlite"))
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "salvage: \(file): export refused at line 4: the file is incomplete: it does not end "
        + "with its signature; nothing was imported\n")
    // And so is one cut short of an event, its signature kept
    try (lines.dropLast(2).joined(separator: "\n") + "\n" + lines[lines.count - 1] + "\n").write(
      toFile: file, atomically: true, encoding: .utf8)
    let cut = try await fixture.salvage(
      "import", file, "--journal", fixture.directory.path("other.sqlite"))
    #expect(cut.status == 2)
    #expect(
      cut.stderr
        == "salvage: \(file): export refused at line 3: the file is incomplete: events or last hash "
        + "differ from its header; nothing was imported\n")
  }
}
