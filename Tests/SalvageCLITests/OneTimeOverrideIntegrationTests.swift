import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// `decide --one-time-override` on a real dev server (server 1.32) with real workers.
@Suite(.tags(.integration), .serialized) struct OneTimeOverrideIntegrationTests {
  /// The `versioningOverride` of each WorkflowExecutionOptionsUpdated event in a run's history, as
  /// the `temporal` CLI shows it.
  func overridesSet(_ scenario: Scenario, _ workflowID: String) async throws -> [[String: Any]] {
    let result = try await runChildProcess(
      URL(fileURLWithPath: scenario.temporal),
      [
        "workflow", "show", "--workflow-id", workflowID, "--output", "json", "--address",
        scenario.address, "--namespace", "default",
      ])
    #expect(result.status == 0, "temporal workflow show: \(result.stderr)")
    let history = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    return (history?["events"] as? [[String: Any]] ?? []).compactMap {
      ($0["workflowExecutionOptionsUpdatedEventAttributes"] as? [String: Any])?[
        "versioningOverride"]
        as? [String: Any]
    }
  }

  @Test
  func aTypeDecidedWithOneTimeOverridesMovesToItsBuildAndTheServerClearsTheOverridesLeavingNoPin()
    async throws
  {
    // Given two long-lived LongWorkflow runs stuck on the bad build, the fixed build's workers up,
    // and the type decided to fixed with one-time overrides
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, stuckTypes: ["LongWorkflow"])
    try await scenario.startWorker("fixed")
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    let decided = try await incident.fixture.salvage(
      "decide", "--type", "LongWorkflow", "--no-restartable", "--target-build", "fixed",
      "--one-time-override", "--rationale", "fixed replays the bad build's history")
    #expect(decided.status == 0, "\(decided.stderr)")
    #expect(decided.stdout.contains("with one-time overrides"), "\(decided.stdout)")
    // When salvage runs the runbook
    let run = try await incident.salvage(["run", "--yes"])
    // Then it is cleaned, and the recorded command asks for one_time
    #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
    let log = try await incident.fixture.salvage("log").stdout
    #expect(log.contains("--versioning-override-behavior one_time"), "\(log)")
    let client = try incident.client
    let ids = ["stuck-longworkflow-0", "stuck-longworkflow-1"]
    // And once a task of each completed on fixed the server cleared the override: the runs stay
    // Running on fixed by their own Pinned behavior, with no override left
    try await eventually(within: 120, "the one-time overrides to be used up") {
      for id in ids {
        let described = try await client.describeWorkflow(id: id, runID: nil)
        guard described.oneTimeTarget == nil, described.overrideVersion == nil,
          described.deploymentVersion == scenario.version("fixed")
        else { return false }
        #expect(described.status == .running)
      }
      return true
    }
    // And each run's history shows the one-time override to fixed the server received (written
    // once the bad build's task in flight had timed out: events wait for a task in flight)
    for id in ids {
      let set = try await overridesSet(scenario, id)
      let target =
        (set.first?["oneTime"] as? [String: Any])?["targetDeploymentVersion"]
        as? [String: Any]
      #expect(set.count == 1, "\(set)")
      #expect(target?["buildId"] as? String == "fixed", "\(set)")
      #expect(set.first?["pinned"] == nil)
    }
    // And salvage lists no pin left behind, and unpin finds nothing to remove
    let status = try await incident.fixture.salvage("status").stdout
    #expect(!status.contains("to build fixed"), "\(status)")
    let unpin = try await incident.salvage(["unpin"])
    #expect(unpin.status == 0, "\(unpin.stderr)")
    #expect(unpin.stdout.contains("0 to unpin in 0 batches"), "\(unpin.stdout)")
    #expect(unpin.stdout.contains("2 without an override"), "\(unpin.stdout)")
  }
}
