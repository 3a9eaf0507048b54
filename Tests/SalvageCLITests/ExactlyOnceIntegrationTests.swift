import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// Closed runs are reset exactly once, by construction: each run is checked against the server just
/// before it is touched, and a crash between the resets and their record is settled by the same check.
@Suite(.tags(.integration), .serialized) struct ExactlyOnceIntegrationTests {
  /// The `temporal` CLI on the scenario's server, as an operator would type it by hand.
  func temporal(_ scenario: Scenario, _ arguments: [String]) async throws {
    let result = try await runChildProcess(
      URL(fileURLWithPath: scenario.temporal),
      arguments + ["--address", scenario.address, "--namespace", "default"])
    #expect(result.status == 0, "temporal \(arguments.prefix(3)): \(result.stderr)")
  }

  @Test func aCrashAfterTheResetsAndRunsChangedByHandLeaveEveryClosedRunResetExactlyOnce()
    async throws
  {
    // Given 4 failed runs on the bad build, drained, their set frozen, and the run killed before its reset chunk
    let scenario = try await Scenario()
    try await scenario.badRollout(failed: 4)
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    let frozen = try await incident.salvage(
      ["run", "--yes"], environment: ["SALVAGE_TEST_CRASH_AT": "before-intent:reset-closed-0-1"])
    #expect(frozen.killedBySignal, "\(frozen.stderr)\n\(frozen.stdout)")
    #expect(try await incident.eventTypes().last == "ClosedTargetsFrozen")
    var runs: [String: String] = [:]
    try await incident.client.list(.startsWith(.workflowID, "failed-")) {
      runs[$0.workflowID] = $0.runID
    }
    // And, by hand, failed-0 reset and failed-1 started again under its workflow id
    try await temporal(
      scenario,
      [
        "workflow", "reset", "--workflow-id", "failed-0", "--run-id",
        try #require(runs["failed-0"]),
        "--type", "FirstWorkflowTask", "--reason", "by hand",
      ])
    try await temporal(
      scenario,
      [
        "workflow", "start", "--workflow-id", "failed-1", "--type", "QuickWorkflow", "--task-queue",
        scenario.taskQueue,
      ])
    // When salvage resets the chunk and is killed after the calls, before their outcomes are recorded
    let killed = try await incident.salvage(
      ["run", "--yes"], environment: ["SALVAGE_TEST_CRASH_AT": "after-call:reset-closed-0-1"])
    #expect(killed.killedBySignal, "\(killed.stderr)\n\(killed.stdout)")
    // And runs again
    let resumed = try await incident.salvage(["run", "--yes"])
    #expect(resumed.status == 0, "\(resumed.stderr)\n\(resumed.stdout)")
    // Then every workflow id has exactly two runs: none was reset twice
    #expect(
      try await incident.runsPerWorkflow(prefix: "failed-") == [
        "failed-0": 2, "failed-1": 2, "failed-2": 2, "failed-3": 2,
      ])
    // And the record says what the check found for each run, and why one was left alone
    let log = try await incident.fixture.salvage("log", "--output", "jsonl").stdout
    let outcomes = try log.split(separator: "\n").compactMap { line -> [[String: Any]]? in
      guard let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        event["type"] as? String == "ClosedRunsReset",
        let payload = event["payload"] as? [String: Any]
      else { return nil }
      return payload["outcomes"] as? [[String: Any]]
    }
    #expect(outcomes.count == 1, "one chunk, recorded once, by the run that settled it")
    let byWorkflow = Dictionary(
      uniqueKeysWithValues: (outcomes.first ?? []).map {
        ($0["workflowID"] as? String ?? "", $0["result"] as? String ?? "")
      })
    #expect(
      byWorkflow == [
        "failed-0": "already-reset", "failed-1": "left-alone", "failed-2": "already-reset",
        "failed-3": "already-reset",
      ])
    #expect(log.contains("no longer its workflow id's current run"))
    #expect(resumed.stdout.contains("checking each of its runs against the server"))
    // And the text record says when and why each run found already reset was reset, as the
    // server recorded it: failed-0 by hand, the others by salvage's own killed run
    let text = try await incident.fixture.salvage("log").stdout
    let chunk = try #require(text.split(separator: "\n").first { $0.contains("ClosedRunsReset") })
    let failed0 = try #require(runs["failed-0"])
    let named = try #require(chunk.firstRange(of: "failed-0 (run \(failed0)): already reset to "))
    #expect(chunk[named.upperBound...].prefix(80).contains(" at 20"), "\(chunk)")
    // (the server records the reason with the requester before it: "root: by hand")
    #expect(chunk.contains(": by hand)"), "\(chunk)")
    #expect(chunk.contains("(salvage inc-1 (o"), "\(chunk)")
    #expect(try await incident.fixture.salvage("status").stdout.contains("phase       cleaned"))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  @Test(arguments: ["Ledger \"main\"", "O'Brien Workflow"])
  func aWorkflowTypeWithAQuoteIsRecoveredEndToEnd(type: String) async throws {
    // Given 2 stuck runs of a type whose name visibility may not match by equality
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, stuckTypes: [type])
    let incident = try await RunbookIncident(scenario)
    try await incident.decide(type, restartable: true)
    // When salvage runs to the end
    let result = try await incident.salvage(["run", "--yes", "--poller-wait", "1"])
    // Then the stuck runs were selected (by run id when the name cannot be matched) and moved off the bad build
    #expect([0, 11].contains(result.status), "\(result.stderr)\n\(result.stdout)")
    #expect(!result.stdout.contains("0/0 done"), "\(result.stdout)")
    if type.contains("\"") {
      // (this server never matches a `"` inside a string literal, so the record says it scoped by run id)
      #expect(result.stdout.contains("scoping its recovery by run id instead"), "\(result.stdout)")
    }
    let stuck = try await incident.client.count(
      .all([
        .equals(.workerDeploymentVersion, "orders:bad"), .equals(.executionStatus, "Running"),
      ]))
    #expect(stuck == 0)
    try await eventually(within: 90, "the moved runs to complete on good") {
      try await incident.client.count(
        .all([
          .startsWith(.workflowID, "stuck-"), .equals(.executionStatus, "Completed"),
          .equals(.workerDeploymentVersion, "orders:good"),
        ])) == 2
    }
  }
}
