import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import SalvageTestSupport
import Testing

/// A failed `import` removes only what it made itself: never a journal at its path that another
/// process created, or wrote to, while it ran.
@Suite(.tags(.integration)) struct ImportLeavesOtherJournalsAloneTests {
  /// An export of alice's incident with `count` notes, whose last event (when `failing`) repeats
  /// the first one's id: the file verifies, and the journal refuses it only at its last insert, so
  /// its import fails at the end of a long transaction.
  func exportFailingLate(_ fixture: CLIFixture, notes count: Int, failing: Bool = true) async throws
    -> String
  {
    try await fixture.openIncident()
    try await fixture.salvage("note", "first")
    let good = fixture.directory.path("good.jsonl")
    #expect(try await fixture.salvage("export", "--out", good).status == 0)
    let export = try IncidentExport.read(try String(contentsOfFile: good, encoding: .utf8))
    let (opened, note) = (export.events[0], export.events[1])
    var previous = opened.hash
    var events = [opened]
    for version in 2...(count + 1) {
      let id = failing && version == count + 1 ? opened.eventID : UUID().uuidString.lowercased()
      let event = StoredEvent(
        position: Int64(version), eventID: id, incident: note.incident, version: version,
        type: note.type, schemaVersion: note.schemaVersion, payload: note.payload,
        recordedAt: note.recordedAt, actor: note.actor, hash: Data())
      let hashed = event.with(hash: EventHash.chain(previous: previous, event))
      previous = hashed.hash
      events.append(hashed)
    }
    let file = fixture.directory.path("fails-late.jsonl")
    let text = try IncidentExport(incident: export.incident, events: events, executionSets: [:])
      .jsonLines()
    try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    return file
  }

  /// Imports `file` into `target` in the background and, while it imports (once the import has
  /// made a file at the path or beside it), has bob open his incident in a journal at `target`.
  func importWhileBobOpens(_ fixture: CLIFixture, _ file: String, into target: String) async throws
    -> (imported: Int32, opened: SalvageProcess.Result)
  {
    let importing = Process()
    importing.executableURL = SalvageProcess.executable
    importing.arguments = ["import", file, "--journal", target]
    importing.environment = fixture.environment
    importing.standardOutput = FileHandle.nullDevice
    importing.standardError = FileHandle.nullDevice
    try importing.run()
    let name = (target as NSString).lastPathComponent
    let deadline = Date().addingTimeInterval(20)
    while importing.isRunning, Date() < deadline,
      !(try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path)
        .contains { $0.contains(name) })
    {
      try await Task.sleep(for: .milliseconds(2))
    }
    try await Task.sleep(for: .milliseconds(300))
    #expect(importing.isRunning, "the import ended before bob opened: the test proves nothing")
    let opened = try await SalvageProcess.run(
      [
        "open", "--deployment", "billing", "--bad-build", "b2", "--good-build", "b1",
        "--incident", "bobs", "--journal", target,
      ], environment: ["SALVAGE_OPERATOR": "bob"])
    await importing.exited()
    return (importing.terminationStatus, opened)
  }

  @Test func aFailedImportNeverRemovesAJournalAnotherProcessWroteToMeanwhile() async throws {
    // Given an export whose import fails only after a long transaction
    let fixture = try CLIFixture()
    let file = try await exportFailingLate(fixture, notes: 40_000)
    let target = fixture.directory.path("shared.sqlite")
    // When it is imported into a journal that does not exist yet, and meanwhile bob opens an
    // incident in a journal at that path
    let (imported, opened) = try await importWhileBobOpens(fixture, file, into: target)
    // Then the import failed, bob's open succeeded, and his journal is there with his incident
    #expect(imported == 4)
    #expect(opened.status == 0, "\(opened.stderr)")
    let status = try await SalvageProcess.run(
      ["status", "--journal", target, "--incident", "bobs"], environment: fixture.environment)
    #expect(
      status.status == 0, "bob opened with exit \(opened.status); status: \(status.stderr)")
    #expect(status.stdout.contains("deployment  billing"))
    #expect(try await fixture.salvage("verify", "--journal", target).status == 0)
    // And nothing of the import is left beside it
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path)
        .filter { $0.contains("shared.sqlite") }.sorted() == ["shared.sqlite"])
  }

  @Test func anImportIntoAPathWhereAJournalAppearedMeanwhileGoesIntoThatJournal() async throws {
    // Given a long export that imports
    let fixture = try CLIFixture()
    let file = try await exportFailingLate(fixture, notes: 40_000, failing: false)
    let target = fixture.directory.path("shared.sqlite")
    // When it is imported into a journal that does not exist yet, and meanwhile bob opens an
    // incident in a journal at that path
    let (imported, opened) = try await importWhileBobOpens(fixture, file, into: target)
    // Then both succeeded, and the one journal holds bob's incident and the imported one
    #expect(imported == 0)
    #expect(opened.status == 0, "\(opened.stderr)")
    let log = try await fixture.salvage("log", "--all", "--journal", target).stdout
    #expect(log.contains("IncidentOpened"))
    #expect(log.contains("IncidentImported: imported from \(file)"))
    #expect(
      try await SalvageProcess.run(
        ["status", "--journal", target, "--incident", "bobs"], environment: fixture.environment
      ).status == 0)
    #expect(try await fixture.salvage("verify", "--journal", target).status == 0)
  }
}
