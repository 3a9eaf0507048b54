import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// A few real crashes: the real `salvage run` is killed with SIGKILL at an action boundary, or
/// while a change call is in flight (its answer arrived, salvage never saw it), then run again.
/// Afterwards every target is on its intended build, every closed run was reset exactly once, no
/// event was lost, and the journal verifies. Every boundary of every action is covered in process,
/// in milliseconds, by `RunbookCrashMatrixTests`; these check the same against the real server.
@Suite(.tags(.integration), .serialized) struct CrashMatrixTests {
  /// `SALVAGE_TEST_CRASH_AT` values, with the event the next run settles the interrupted action by.
  static let cases: [(crash: String, settledBy: String?)] = [
    ("after-intent:recover-OrderWorkflow-1", "ActionReconciled"),
    ("in-flight:StartBatchOperation", "ActionReconciled"),
    ("in-flight:ResetWorkflowExecution", "ClosedRunsReset"),
    ("after-call:reset-closed-0-1", "ClosedRunsReset"),
    ("after-call:clean-up-1", "ActionAbandoned"),
    ("before-intent:stop-1", nil),
  ]

  @Test(arguments: cases)
  func aRunKilledMidActionResumesToCleanedDoingNothingTwice(crash: String, settledBy: String?)
    async throws
  {
    // Given a bad rollout: 2 stuck OrderWorkflow (restartable), 2 failed; bad workers already stopped
    let incident = try await Self.badRollout()
    // When salvage is killed there
    let killed = try await incident.salvage(
      ["run", "--yes"], environment: ["SALVAGE_TEST_CRASH_AT": crash])
    #expect(killed.killedBySignal && killed.status == 9, "not killed at \(crash): \(killed.stderr)")
    let afterCrash = try await incident.eventTypes()
    // And run again (a launch not found is taken as never started 5 s after it, not the
    // default 90: this server's deadline cannot still be running after the kill)
    let resumed = try await incident.salvage(["run", "--yes", "--lost-answer-wait", "5"])
    #expect(resumed.status == 0, "\(resumed.stderr)\n\(resumed.stdout)")
    // Then no event was lost, and an interrupted action was settled before anything else ran:
    // a batch by its job id, a closed reset by checking each run, a delete by repeating it
    let events = try await incident.eventTypes()
    #expect(Array(events.prefix(afterCrash.count)) == afterCrash)
    if let settledBy {
      #expect(events.dropFirst(afterCrash.count).first == settledBy, "\(events)")
    }
    // And every target is on its intended build
    try await eventually(within: 90, "the recovered runs to complete on good") {
      try await incident.allCompleted([("OrderWorkflow", "good", 2), ("FailWorkflow", "good", 2)])
    }
    // And every closed run was reset exactly once
    #expect(
      try await incident.runsPerWorkflow(prefix: "failed-") == ["failed-0": 2, "failed-1": 2])
    #expect(
      try await incident.runsPerWorkflow(prefix: "stuck-") == [
        "stuck-orderworkflow-0": 2, "stuck-orderworkflow-1": 2,
      ])
    #expect(
      try await incident.client.describeDeployment("orders").versions.map(\.buildID) == ["good"])
    let status = try await incident.fixture.salvage("status").stdout
    #expect(status.contains("phase       cleaned"))
    #expect(!status.contains("driving on"), "the resumed run left its lease held")
    #expect(try await incident.eventTypes(leases: true).last == "LeaseReleased")
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  @Test func aRunKilledAfterItsRecoveryResumesToCleanedAfterTheServerHasAlreadyDrained()
    async throws
  {
    // Given a run killed right after its recovery batch was launched
    let incident = try await Self.badRollout()
    let killed = try await incident.salvage(
      ["run", "--yes"], environment: ["SALVAGE_TEST_CRASH_AT": "after-call:recover-OrderWorkflow-1"]
    )
    #expect(killed.killedBySignal, "\(killed.stderr)")
    // And the server reports the bad version drained (and stops checking) before the run resumes
    let bad = WorkerDeploymentVersion(deploymentName: "orders", buildID: "bad")
    try await eventually(within: 120, "the bad version to report drained") {
      try await incident.client.describeVersion(bad).drainage == .drained
    }
    // When run again
    let resumed = try await incident.salvage(["run", "--yes"])
    // Then the earlier drained check counts, and the incident is cleaned with each closed run reset once
    #expect(resumed.status == 0, "\(resumed.stderr)\n\(resumed.stdout)")
    // (the interrupted batch is found by its job id and followed, not launched again)
    #expect(resumed.stdout.contains("reconciled: DescribeBatchOperation"), "\(resumed.stdout)")
    #expect(resumed.stdout.contains("2/2 done"), "\(resumed.stdout)")
    #expect(try await incident.fixture.salvage("status").stdout.contains("phase       cleaned"))
    #expect(
      try await incident.runsPerWorkflow(prefix: "failed-") == ["failed-0": 2, "failed-1": 2])
  }

  /// 2 stuck OrderWorkflow (decided restartable) and 2 failed runs on the bad build, whose
  /// workers are already stopped, with an incident opened about them.
  static func badRollout() async throws -> RunbookIncident {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, failed: 2)
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    return incident
  }
}
