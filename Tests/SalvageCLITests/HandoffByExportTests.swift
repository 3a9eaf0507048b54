import Foundation
import SalvageFakes
import Testing

/// Handing an incident to another machine keeps one driver: the sealed journal refuses to run,
/// a plain export's copy refuses until adopted, and the journal the incident went to drives it.
@Suite(.tags(.integration)) struct HandoffByExportTests {
  /// Nothing listens there: a run allowed to drive takes the lease, then fails to connect (exit 20).
  static let nowhere = OneDriverTests.nowhere

  func run(_ fixture: CLIFixture, journal: String? = nil, _ command: String = "run") async throws
    -> SalvageProcess.Result
  {
    try await SalvageProcess.run(
      [command, "--yes"] + Self.nowhere + (journal.map { ["--journal", $0] } ?? []),
      environment: fixture.environment)
  }

  /// The JSON object of every line of an export file, header first.
  func lines(_ file: String) throws -> [[String: Any]] {
    try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test func aHandoffByExportSealsThisJournalAndTheImportingJournalDrives() async throws {
    // Given alice's incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let file = fixture.directory.path("to-bob.jsonl")
    // When she hands it to bob with an export
    let handoff = try await fixture.salvage(
      "handoff", "--to", "bob", "--export", file, "--note", "yours")
    #expect(handoff.status == 0, "\(handoff.stderr)")
    #expect(handoff.stdout.contains("Sealed here and exported to \(file)"))
    // Then the file ends with the seal, whose hash is the file's last hash, and which names the event before it
    let exported = try lines(file)
    let (opened, seal) = (exported[1], exported[2])
    #expect(exported[0]["lastHash"] as? String == seal["hash"] as? String)
    #expect(seal["type"] as? String == "HandedOff")
    let text = try #require(seal["payload"] as? String)
    let payload = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(payload["export"] as? String == file)
    #expect(payload["sealedAfter"] as? String == opened["hash"] as? String)
    // And here, run and the step commands are refused with exit 6, saying to whom and where it went
    for command in ["run", "stop", "identify", "clean-up"] {
      let refused = try await run(fixture, command)
      #expect(refused.status == 6, "\(command): \(refused.stderr)")
      #expect(refused.stderr.contains("was handed off to bob in \(file)"), "\(refused.stderr)")
    }
    #expect(try await fixture.salvage("handoff", "--to", "carol").status == 6)
    // And neither a decision nor a closure is taken here any more (a note still is)
    let decide = try await fixture.salvage(
      "decide", "--type", "OrderWorkflow", "--restartable", "--rationale", "late")
    #expect(
      decide.status == 6 && decide.stderr.contains("was handed off to bob"), "\(decide.stderr)")
    #expect(try await fixture.salvage("close", "--reason", "done").status == 6)
    #expect(try await fixture.salvage("note", "bob has it").status == 0)
    // And the export is only its owner's
    let mode = try #require(
      try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
    #expect(mode == 0o600)
    #expect(
      try await fixture.salvage("status").stdout.contains(
        "custody     sealed here: handed off to bob in \(file) at "))
    // And on bob's machine the import continues the incident: his run drives it
    let other = fixture.directory.path("bob.sqlite")
    let imported = try await SalvageProcess.run(
      ["import", file, "--journal", other],
      environment: fixture.environment.merging(["SALVAGE_OPERATOR": "bob"]) { $1 })
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("It was handed over to this journal"))
    let bobs = try await SalvageProcess.run(
      ["run", "--yes", "--journal", other] + Self.nowhere,
      environment: fixture.environment.merging(["SALVAGE_OPERATOR": "bob"]) { $1 })
    #expect(bobs.status == 20, "\(bobs.stderr)")
    let log = try await fixture.salvage("log", "--journal", other).stdout
    #expect(log.contains("IncidentImported: imported from \(file), handed over"))
    #expect(log.contains("LeaseAcquired: bob on "))
    #expect(try await fixture.salvage("verify", "--journal", other).status == 0)
  }

  @Test func aHandoffExportReplacesALinkAtItsPathAndNeverWritesThroughIt() async throws {
    // Given a link at the export path pointing at a file of the operator's
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let target = fixture.directory.path("precious.txt")
    try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
    let file = fixture.directory.path("to-bob.jsonl")
    try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: target)
    // When she hands off by export to that path
    #expect(try await fixture.salvage("handoff", "--to", "bob", "--export", file).status == 0)
    // Then the link was replaced by a private file, and its target was left alone
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
    let attributes = try FileManager.default.attributesOfItem(atPath: file)
    #expect(attributes[.type] as? FileAttributeType == .typeRegular)
    #expect(attributes[.posixPermissions] as? Int == 0o600)
    #expect(try lines(file).count == 4)
  }

  @Test func aHandoffExportToADirectoryThatDoesNotExistRecordsNothing() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let result = try await fixture.salvage(
      "handoff", "--to", "bob", "--export", fixture.directory.path("missing/to-bob.jsonl"))
    #expect(result.status == 64, "\(result.stderr)")
    #expect(!(try await fixture.salvage("log").stdout.contains("HandedOff")))
  }

  @Test func aPlainExportIsAReadOnlyCopyUntilAdoptedWhichIsRecorded() async throws {
    // Given alice's incident exported without a handoff, and imported into bob's journal
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let file = fixture.directory.path("copy.jsonl")
    #expect(try await fixture.salvage("export", "--out", file).status == 0)
    let other = fixture.directory.path("bob.sqlite")
    #expect(try await fixture.salvage("import", file, "--journal", other).status == 0)
    // When bob runs it there, then it is refused with exit 6: it is a copy, and how to adopt it
    let copy = try await run(fixture, journal: other)
    #expect(copy.status == 6, "\(copy.stderr)")
    #expect(copy.stderr.contains("incident inc-1 is a read-only copy imported from \(file)"))
    #expect(copy.stderr.contains("salvage import --adopt \(file)"))
    #expect(
      try await fixture.salvage("status", "--journal", other).stdout.contains(
        "custody     a read-only copy of \(file)"))
    // And the original journal still drives it
    await #expect(try run(fixture).status == 20)
    // When bob adopts it, the adoption is recorded and his run drives it
    let adopted = try await fixture.salvage("import", "--adopt", file, "--journal", other)
    #expect(adopted.status == 0, "\(adopted.stderr)")
    #expect(adopted.stdout.contains("Adopted"))
    #expect(
      try await fixture.salvage("log", "--journal", other).stdout.contains(
        "IncidentImported: imported from \(file) and adopted"))
    await #expect(try run(fixture, journal: other).status == 20)
    #expect(try await fixture.salvage("verify", "--journal", other).status == 0)
  }

  @Test func aPlainExportImportedWithAdoptDrivesAtOnce() async throws {
    // Given alice's plain export
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let file = fixture.directory.path("copy.jsonl")
    #expect(try await fixture.salvage("export", "--out", file).status == 0)
    // When bob imports it with --adopt, then the adoption is the import's record, and his run drives
    let other = fixture.directory.path("bob.sqlite")
    let imported = try await fixture.salvage("import", "--adopt", file, "--journal", other)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(try await fixture.salvage("log", "--journal", other).stdout.contains("and adopted"))
    await #expect(try run(fixture, journal: other).status == 20)
  }
}
