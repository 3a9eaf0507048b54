import Foundation
import SalvageFakes
import Testing

/// `salvage decide --closed-statuses` and a policy file's `closedStatuses`, through the binary.
@Suite(.tags(.integration)) struct DecideClosedStatusesTests {
  /// The `closedStatuses` of the last StrategyDecided in the journal.
  func lastChoice(_ fixture: CLIFixture) async throws -> [String]? {
    let lines = try await fixture.salvage("log", "--output", "jsonl").stdout.split(separator: "\n")
    let decided = try lines.compactMap { line in
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    }.last { $0["type"] as? String == "StrategyDecided" }
    return (decided?["payload"] as? [String: Any])?["closedStatuses"] as? [String]
  }

  @Test func theChosenClosedStatusesAreRecordedWithTheDecisionAndShown() async throws {
    // Given an open incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When the operator adds Completed for a type, in any order
    let decided = try await fixture.salvage(
      "decide", "--type", "ReportWorkflow", "--restartable", "--closed-statuses", "Completed,Failed"
    )
    // Then the decision records Failed and Completed, and says so
    #expect(decided.status == 0, "\(decided.stderr)")
    #expect(decided.stdout.contains("ReportWorkflow: reset-first-task-to-good-build to v1"))
    #expect(decided.stdout.contains("; closed runs reset when Failed, Completed"))
    await #expect(try lastChoice(fixture) == ["Failed", "Completed"])
    #expect(
      try await fixture.salvage("status").stdout.contains(
        "closed runs reset when Failed, Completed"))
  }

  @Test func withoutTheOptionTheDecisionRecordsTheDefault() async throws {
    // Given an open incident, when a type is decided without --closed-statuses
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    #expect(
      try await fixture.salvage("decide", "--type", "OrderWorkflow", "--restartable").status == 0)
    // Then Failed and TimedOut are recorded
    await #expect(try lastChoice(fixture) == ["Failed", "TimedOut"])
  }

  @Test func aPolicyFileNamesTheClosedStatusesPerType() async throws {
    // Given a policy that adds Terminated for OrderWorkflow
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let file = fixture.directory.path("policy.json")
    try Data(
      #"{"workflowTypes": {"OrderWorkflow": {"restartable": true, "closedStatuses": ["Terminated", "Failed"]}}}"#
        .utf8
    ).write(to: URL(fileURLWithPath: file))
    // When the type is decided from it, then the decision records its choice
    let decided = try await fixture.salvage("decide", "--policy", file, "--type", "OrderWorkflow")
    #expect(decided.status == 0, "\(decided.stderr)")
    await #expect(try lastChoice(fixture) == ["Failed", "Terminated"])
  }

  @Test func aRestartIsRecordedAsTheRunbooksFifthRowToTheGoodBuildOrANamedOne() async throws {
    // Given an open incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When the operator decides a type for a restart, and another for a restart onto v3
    let decided = try await fixture.salvage(
      "decide", "--type", "ReportWorkflow", "--restart", "--rationale", "stateless")
    let onto = try await fixture.salvage(
      "decide", "--type", "ExportWorkflow", "--restart", "--target-build", "v3")
    // Then each decision records terminate-and-restart and its target
    #expect(decided.status == 0, "\(decided.stderr)")
    #expect(decided.stdout.contains("ReportWorkflow: terminate-and-restart to v1"))
    #expect(onto.stdout.contains("ExportWorkflow: terminate-and-restart to v3"))
    // And a restart with --no-restartable or --corrupted is refused (exit 64), nothing recorded
    let contradictory = try await fixture.salvage(
      "decide", "--type", "X", "--restart", "--corrupted")
    #expect(contradictory.status == 64)
    #expect(
      contradictory.stderr
        == "salvage: --restart replaces the executions: it goes without --no-restartable and "
        + "--corrupted (see 'salvage help')\n")
  }

  @Test func aPolicyFileDecidesARestartPerType() async throws {
    // Given a policy that restarts ReportWorkflow
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let file = fixture.directory.path("policy.json")
    try Data(#"{"workflowTypes": {"ReportWorkflow": {"restartable": true, "restart": true}}}"#.utf8)
      .write(to: URL(fileURLWithPath: file))
    // When the type is decided from it, then the decision is a restart from the policy file
    let decided = try await fixture.salvage("decide", "--policy", file, "--type", "ReportWorkflow")
    #expect(decided.status == 0, "\(decided.stderr)")
    #expect(decided.stdout.contains("ReportWorkflow: terminate-and-restart to v1"))
    #expect(decided.stdout.contains("policy-file"))
  }
}
