import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// Terminate and restart on a real dev server with real workers: the runbook's fifth row.
@Suite(.tags(.integration), .serialized) struct RestartIntegrationTests {
  /// The first event's input of one run, as the `temporal` CLI shows it.
  func input(_ scenario: Scenario, _ workflowID: String, _ runID: String) async throws -> String {
    let result = try await runChildProcess(
      URL(fileURLWithPath: scenario.temporal),
      [
        "workflow", "show", "--workflow-id", workflowID, "--run-id", runID, "--output", "json",
        "--address",
        scenario.address, "--namespace", "default",
      ])
    #expect(result.status == 0, "temporal workflow show: \(result.stderr)")
    let history = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let events = history?["events"] as? [[String: Any]]
    let started = events?.first?["workflowExecutionStartedEventAttributes"] as? [String: Any]
    let payloads = (started?["input"] as? [String: Any])?["payloads"] as? [[String: Any]]
    return String(describing: payloads?.first?["data"] ?? "none")
  }

  @Test func aRestartedTypeStartsAgainOnceWithItsInputOnTheGoodBuildEvenWhenKilledRightAfterAStart()
    async throws
  {
    // Given 2 OrderWorkflow stuck and 1 FailWorkflow failed on the bad build, its workers stopped,
    // and both types decided for a restart
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, failed: 1)
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    for type in ["OrderWorkflow", "FailWorkflow"] {
      let decided = try await incident.fixture.salvage(
        "decide", "--type", type, "--restart", "--rationale", "stateless")
      #expect(decided.status == 0, "\(decided.stderr)")
    }
    var before: [String: String] = [:]
    try await incident.client.list(.startsWith(.workflowID, "stuck-orderworkflow-")) {
      before[$0.workflowID] = $0.runID
    }
    // When salvage is killed right after the server answered its first start, before anything of it
    // was recorded, and runs again
    let killed = try await incident.salvage(
      ["run", "--yes"], environment: ["SALVAGE_TEST_CRASH_AT": "in-flight:StartWorkflowExecution"])
    #expect(killed.killedBySignal, "\(killed.stderr)\n\(killed.stdout)")
    let resumed = try await incident.salvage(["run", "--yes"])
    #expect(resumed.status == 0, "\(resumed.stderr)\n\(resumed.stdout)")
    // Then every workflow id has exactly two runs: the old one and one new run, completed on good
    #expect(
      try await incident.runsPerWorkflow(prefix: "stuck-orderworkflow-") == [
        "stuck-orderworkflow-0": 2, "stuck-orderworkflow-1": 2,
      ])
    #expect(try await incident.runsPerWorkflow(prefix: "failed-") == ["failed-0": 2])
    try await eventually(within: 90, "the restarted runs to complete on good") {
      try await incident.allCompleted([("OrderWorkflow", "good", 2), ("FailWorkflow", "good", 1)])
    }
    // And each new run got the old run's input, and the old Running runs were terminated
    for (workflowID, oldRun) in before {
      let old = try await incident.client.describeWorkflow(id: workflowID, runID: oldRun)
      #expect(old.status == .terminated)
      let current = try await incident.client.describeWorkflow(id: workflowID, runID: nil)
      #expect(current.runID != oldRun)
      await #expect(
        try input(scenario, workflowID, current.runID) == input(scenario, workflowID, oldRun))
      #expect(current.requestIDs.contains("salvage/inc-1/restart/\(oldRun)"))
    }
    // And the compensation list names the three restarts, old run → new run
    let json = try await incident.fixture.salvage("targets", "--format", "json")
    #expect(json.status == 0, "\(json.stderr)")
    let rows =
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
    let restarts = rows.filter { $0["done"] as? String == "restart" }
    #expect(
      restarts.compactMap { $0["workflowID"] as? String }.sorted() == [
        "failed-0", "stuck-orderworkflow-0", "stuck-orderworkflow-1",
      ])
    #expect(restarts.allSatisfy { ($0["newRunID"] as? String)?.isEmpty == false })
  }
}
