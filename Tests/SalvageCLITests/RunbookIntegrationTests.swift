import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// `salvage run` from opened to cleaned on a real dev server with real workers.
@Suite(.tags(.integration), .serialized) struct RunbookIntegrationTests {
  /// A bad rollout whose bad workers are already stopped (so clean-up need not wait for a human),
  /// with a replay-safe fixed build deployed.
  func rollout(
    stuck: Int, types: [String] = ["OrderWorkflow"], failed: Int = 0, timedOut: Int = 0,
    mode: String = "current"
  )
    async throws -> Scenario
  {
    let scenario = try await Scenario()
    try await scenario.badRollout(
      stuck: stuck, stuckTypes: types, failed: failed, timedOut: timedOut, mode: mode)
    try await scenario.startWorker("fixed")
    try await scenario.stopWorker("bad")
    return scenario
  }

  @Test func twoWorkflowTypesWithDifferentDecisionsAreRecoveredAndTheClosedRunsResetOnce()
    async throws
  {
    // Given a Current rollout: 2 OrderWorkflow and 2 PaymentWorkflow stuck, 2 failed, 1 timed out
    let scenario = try await rollout(
      stuck: 4, types: ["OrderWorkflow", "PaymentWorkflow"], failed: 2, timedOut: 1)
    let incident = try await RunbookIncident(scenario)
    // When the run stops for decisions, the operator records them, and the run goes on to cleaned
    let first = try await incident.salvage(["run", "--yes"])
    #expect(first.status == 10, "\(first.stderr)")
    #expect(first.stderr.contains("OrderWorkflow, PaymentWorkflow"))
    #expect(first.stderr.contains("salvage decide --type OrderWorkflow"))
    let waiting = try await incident.fixture.salvage("status").stdout
    #expect(waiting.contains("affected    OrderWorkflow Running: 2 (2 with reported problems)"))
    #expect(waiting.contains("affected    FailWorkflow Failed: 2"))
    #expect(
      waiting.contains(
        "next        decide the strategy of OrderWorkflow, PaymentWorkflow: salvage decide --type OrderWorkflow"
      ))
    try await incident.decide("OrderWorkflow", restartable: true)
    try await incident.decide("PaymentWorkflow", restartable: false, target: "fixed")
    let second = try await incident.salvage(["run", "--yes"])
    #expect(second.status == 0, "\(second.stderr)\n\(second.stdout)")
    #expect(second.stdout.contains("is cleaned"))
    // Then each type completed on its intended build
    try await eventually(within: 90, "the recovered runs to complete") {
      try await incident.allCompleted([
        ("OrderWorkflow", "good", 2), ("PaymentWorkflow", "fixed", 2), ("FailWorkflow", "good", 2),
        ("TimeoutWorkflow", "good", 1),
      ])
    }
    // And every closed run was reset exactly once: its original run plus one reset run
    #expect(
      try await incident.runsPerWorkflow(prefix: "failed-") == ["failed-0": 2, "failed-1": 2])
    #expect(try await incident.runsPerWorkflow(prefix: "timedout-") == ["timedout-0": 2])
    // And the bad version is gone, and the journal verifies
    #expect(
      try await incident.client.describeDeployment("orders").versions.map(\.buildID).sorted() == [
        "fixed", "good",
      ])
    #expect(try await incident.fixture.salvage("status").stdout.contains("phase       cleaned"))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  @Test func aFullDryRunPlansTheCommandsTheRealRunThenJournalsInOrder() async throws {
    // Given a Current rollout: 2 OrderWorkflow stuck, 2 failed, 1 timed out (all closed before the
    // plan, so visibility shows the same closed runs at plan time and after drainage), decided
    let scenario = try await rollout(stuck: 2, failed: 2, timedOut: 1)
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: incident.fixture.journal))
    let events = try await incident.fixture.rawLog()
    // When salvage plans the whole run as JSON
    let dry = try await incident.salvage(["run", "--dry-run", "--output", "json"])
    #expect(dry.status == 0, "\(dry.stderr)")
    let plan = try #require(
      try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
    let steps = try #require(plan["steps"] as? [[String: Any]])
    #expect(plan["outcome"] as? String == "finished")
    #expect((plan["closedRuns"] as? [String: Any])?["count"] as? Int == 3)
    // And its estimate bills an Action per reset Workflow (2 by the batch, 3 closed) and waits
    // for drainage on the server's default clocks
    let estimate = try #require(plan["estimate"] as? [String: Any])
    #expect(estimate["actions"] as? Int == 5)
    #expect((estimate["waitSeconds"] as? Double ?? 0) >= 360)
    // And as text: every change with its step and subject, and how many closed runs, provisionally
    let text = try await incident.salvage(["run", "--dry-run"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("[recover OrderWorkflow] temporal "))
    #expect(
      text.stdout.contains(
        "Closed runs to reset: 3 as visibility shows them now; provisional until drainage"))
    #expect(text.stdout.contains("the incident would be cleaned"))
    #expect(text.stdout.contains("Estimate at the server's published pace (batches 50 Workflows/s"))
    #expect(text.stdout.contains("  wait for drainage"))
    #expect(text.stdout.contains("5 Temporal Cloud Actions."))
    // Then it took no lease and journaled nothing: the journal file is byte for byte as it was
    #expect(try Data(contentsOf: URL(fileURLWithPath: incident.fixture.journal)) == bytes)
    #expect(try await incident.fixture.rawLog() == events)
    // When the real run goes through it
    let real = try await incident.salvage(["run", "--yes"])
    #expect(real.status == 0, "\(real.stderr)\n\(real.stdout)")
    // Then every action it journaled ran the command the plan's first change of that action has, in
    // order (a closed-reset chunk's intent stands for its runs, by its first run's command)
    var planned: [(action: String, command: [String])] = []
    for step in steps {
      guard let action = step["action"] as? String, let command = step["command"] as? [String]
      else { continue }
      if planned.last?.action != action { planned.append((action, command)) }
    }
    let log = try await incident.fixture.salvage("log", "--output", "jsonl").stdout.split(
      separator: "\n"
    )
    .compactMap {
      try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
    let started = log.filter { $0["type"] as? String == "ActionStarted" }.compactMap {
      $0["payload"] as? [String: Any]
    }
    #expect(started.compactMap { $0["action"] as? String } == planned.map(\.action))
    #expect(started.compactMap { $0["command"] as? [String] } == planned.map(\.command))
    #expect(
      planned.map(\.action) == [
        "stop-1", "recover-OrderWorkflow-1", "reset-closed-0-1", "clean-up-1",
      ])
    // And the closed runs it reset are exactly those the plan listed
    let plannedRuns = Set(
      steps.compactMap { ($0["closedRun"] as? [String: Any])?["runId"] as? String })
    let resetRuns = Set(
      log.filter { $0["type"] as? String == "ClosedRunsReset" }
        .flatMap { (($0["payload"] as? [String: Any])?["outcomes"] as? [[String: Any]]) ?? [] }
        .filter { $0["result"] as? String == "reset" }.compactMap { $0["runID"] as? String })
    #expect(plannedRuns.count == 3)
    #expect(plannedRuns == resetRuns)
  }

  @Test func aRampRolloutIsStoppedAndRecoveredToCleaned() async throws {
    let scenario = try await rollout(stuck: 2, failed: 1, mode: "ramp")
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    let result = try await incident.salvage(["run", "--yes"])
    #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
    let deployment = try await incident.client.describeDeployment("orders")
    #expect(deployment.rampingBuildID == nil)
    #expect(deployment.currentBuildID == "good")
    try await eventually(within: 90, "the runs to complete on good") {
      try await incident.allCompleted([("OrderWorkflow", "good", 2), ("FailWorkflow", "good", 1)])
    }
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  /// The strategy table's Running rows, each on its own rollout.
  @Test(arguments: [
    (restartable: true, corrupted: false, build: "good", batch: "resetWorkflow"),
    (restartable: false, corrupted: false, build: "fixed", batch: "updateWorkflowExecutionOptions"),
    (restartable: false, corrupted: true, build: "fixed", batch: "resetWorkflow"),
  ])
  func everyRunningStrategyMovesTheStuckRunsToItsTarget(
    row: (restartable: Bool, corrupted: Bool, build: String, batch: String)
  ) async throws {
    let scenario = try await rollout(stuck: 2)
    let incident = try await RunbookIncident(scenario)
    try await incident.decide(
      "OrderWorkflow", restartable: row.restartable, corrupted: row.corrupted,
      target: row.restartable ? nil : "fixed")
    let result = try await incident.salvage(["run", "--yes", "--until", "drained"])
    #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
    // The batch runs under the job id salvage chose: the action's identity
    let job = BatchJobID(rawValue: "salvage/inc-1/recover-OrderWorkflow-1")
    #expect(try await incident.client.describeBatch(job).operationType == row.batch)
    try await eventually(within: 90, "the runs to complete on \(row.build)") {
      try await incident.allCompleted([("OrderWorkflow", row.build, 2)])
    }
  }

  @Test func aReplaySafeBuildThatDoesNotExistBlocksRecoveryWithAClearMessage() async throws {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: false, target: "nope")
    let result = try await incident.salvage(["run", "--yes"])
    #expect(result.status == 11)
    #expect(result.stderr.contains("orders:nope does not exist"))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }
}

@Suite(.tags(.integration)) struct DecisionSourceIntegrationTests {
  @Test func aRestartableAttributeOnTheExecutionsDecidesEachTypeAndSaysSo() async throws {
    // Given a Bool search attribute Restartable: true on OrderWorkflow runs, false on PaymentWorkflow
    let scenario = try await Scenario()
    try await scenario.createBoolAttribute("Restartable")
    try await scenario.startWorker("fixed")
    try await scenario.rollout("bad")
    try await scenario.start(
      type: "OrderWorkflow", count: 2, prefix: "order", attribute: ("Restartable", true))
    try await scenario.start(
      type: "PaymentWorkflow", count: 2, prefix: "payment", attribute: ("Restartable", false))
    let incident = try await RunbookIncident(scenario)
    try await eventually(within: 60, "the runs to be stuck with reported problems") {
      try await incident.client.count(
        .all([
          .equals(.workerDeploymentVersion, "orders:bad"), .equals(.executionStatus, "Running"),
          .isIn(.reportedProblems, ["category=WorkflowTaskFailed"]),
        ])) == 4
    }
    // When salvage runs with the attribute as the decision source
    let result = try await incident.salvage([
      "run", "--yes", "--until", "drained", "--restartable-attribute", "Restartable",
      "--replay-safe-build", "fixed",
    ])
    #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
    // Then each type was decided from it, with the source recorded, and recovered accordingly
    let log = try await incident.fixture.salvage("log").stdout
    #expect(
      log.contains(
        "OrderWorkflow: reset-first-task-to-good-build to good (by search-attribute: Restartable = true on all 2 Running executions)"
      ))
    #expect(
      log.contains(
        "PaymentWorkflow: override-to-replay-safe-build to fixed (by search-attribute: Restartable = false on all 2 Running executions)"
      ))
    try await eventually(within: 90, "the runs to complete on their targets") {
      try await incident.allCompleted([
        ("OrderWorkflow", "good", 2), ("PaymentWorkflow", "fixed", 2),
      ])
    }
  }
}
