import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// `salvage run` and `salvage stop` against a real dev server with a real bad rollout.
@Suite(.tags(.integration), .serialized) struct StopCommandIntegrationTests {
  @Test func runStopsACurrentRolloutRecordingIntentBeforeEffect() async throws {
    // Given the bad build is Current with stuck and failed Workflows
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, failed: 1)
    let incident = try await RunbookIncident(scenario)
    // When the operator runs the runbook until stopped
    let result = try await incident.salvage(["run", "--yes", "--until", "stopped"])
    // Then Current is the good build, confirmed by a recorded re-describe (the one that saw the
    // routing update reach every task queue, recorded with the stop's outcome)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("reached stopped"))
    #expect(try await incident.client.describeDeployment("orders").currentBuildID == "good")
    #expect(
      try await incident.eventTypes() == [
        "IncidentOpened", "RolloutObserved", "ActionStarted", "ActionSucceeded", "RolloutObserved",
      ])
    #expect(
      try await incident.eventTypes(leases: true).first { $0.hasPrefix("Lease") } == "LeaseAcquired"
    )
    #expect(try await incident.eventTypes(leases: true).last == "LeaseReleased")
    #expect(try await incident.fixture.salvage("status").stdout.contains("phase       stopped"))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  @Test func aPersonsRollForwardBetweenTwoRunsIsLeftAlone() async throws {
    // Given a run without a terminal or --yes that observed the bad build Current and asked (exit 13)
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    try await scenario.startWorker("fixed")
    let incident = try await RunbookIncident(scenario)
    #expect(try await incident.salvage(["run", "--until", "stopped"]).status == 13)
    // And a person who then rolled forward to the fixed build by hand
    try await scenario.rollout("fixed")
    // When the operator runs again, allowing changes
    let result = try await incident.salvage(["run", "--yes", "--until", "stopped"])
    // Then salvage observed the roll-forward and left it alone: no stop was sent
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("reached stopped"))
    #expect(try await incident.client.describeDeployment("orders").currentBuildID == "fixed")
    #expect(
      try await incident.eventTypes() == ["IncidentOpened", "RolloutObserved", "RolloutObserved"])
  }

  @Test func stopSetsARampToZeroThenRemovesIt() async throws {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1, mode: "ramp")
    let incident = try await RunbookIncident(scenario)
    #expect(try await incident.client.describeDeployment("orders").rampingBuildID == "bad")
    let result = try await incident.salvage(["stop", "--yes"])
    #expect(result.status == 0, "\(result.stderr)")
    let deployment = try await incident.client.describeDeployment("orders")
    #expect(deployment.rampingBuildID == nil)
    #expect(deployment.currentBuildID == "good")
    let log = try await incident.fixture.salvage("log").stdout
    #expect(
      log.contains("set-ramping-version --deployment-name orders --build-id bad --percentage 0"))
    #expect(log.contains("set-ramping-version --deployment-name orders --delete --yes"))
  }

  @Test func aDryRunPrintsTheExactCommandAndChangesNothing() async throws {
    // Given a Current rollout with a stuck run of a type nobody decided
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    let incident = try await RunbookIncident(scenario)
    // When salvage plans the run
    let result = try await incident.salvage(["run", "--dry-run"])
    // Then the plan stops where the real run would, at the decision (exit 10), after the stop's exact command
    #expect(result.status == 10, "\(result.stderr)")
    #expect(result.stderr.contains("salvage decide --type OrderWorkflow"))
    #expect(result.stdout.contains("[stop] temporal "))
    #expect(
      result.stdout.contains(
        "worker deployment set-current-version --deployment-name orders --build-id good --yes --address \(scenario.address)"
      ))
    #expect(result.stdout.contains("--identity salvage/inc-1/stop-1"))
    #expect(try await incident.client.describeDeployment("orders").currentBuildID == "bad")
    #expect(try await incident.eventTypes() == ["IncidentOpened"])
  }

  @Test func withoutATerminalOrYesNothingChangesAndTheExitCodeSaysWhy() async throws {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    let incident = try await RunbookIncident(scenario)
    let result = try await incident.salvage(["run"])
    #expect(result.status == 13)
    #expect(result.stderr.contains("pass --yes"))
    #expect(try await incident.client.describeDeployment("orders").currentBuildID == "bad")
    #expect(!(try await incident.eventTypes()).contains("ActionStarted"))
  }

  /// SIGKILL at each action boundary of the stop step, then resume: the rollout ends stopped, the
  /// in-doubt action is abandoned (it is repeatable), the routing is observed again and the stop
  /// sent again only if the first did not take effect; no event is lost, verify passes.
  @Test(arguments: RunbookRunner.Boundary.allCases)
  func aRunKilledAtAnyBoundaryOfStopResumesToStopped(boundary: RunbookRunner.Boundary) async throws
  {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    let incident = try await RunbookIncident(scenario)
    // When salvage is killed at the boundary
    let killed = try await incident.salvage(
      ["run", "--yes", "--until", "stopped"],
      environment: ["SALVAGE_TEST_CRASH_AT": "\(boundary.rawValue):stop-1"])
    #expect(
      killed.killedBySignal && killed.status == 9, "not killed: \(killed.status) \(killed.stderr)")
    let afterCrash = try await incident.eventTypes()
    // And run again
    let resumed = try await incident.salvage(["run", "--yes", "--until", "stopped"])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    // Then the rollout is stopped and the journal is whole
    #expect(try await incident.client.describeDeployment("orders").currentBuildID == "good")
    let events = try await incident.eventTypes()
    #expect(Array(events.prefix(afterCrash.count)) == afterCrash)  // nothing lost
    switch boundary {
    case .beforeIntent:
      #expect(afterCrash == ["IncidentOpened", "RolloutObserved"])
      #expect(!events.contains("ActionAbandoned"))
    case .afterIntent:
      #expect(afterCrash == ["IncidentOpened", "RolloutObserved", "ActionStarted"])
      #expect(events.contains("ActionAbandoned"))
      #expect(events.filter { $0 == "ActionSucceeded" }.count == 1)
    case .afterCall:
      // The first stop took effect: the resumed run's observation shows it, nothing is sent again.
      #expect(afterCrash == ["IncidentOpened", "RolloutObserved", "ActionStarted"])
      #expect(
        events == [
          "IncidentOpened", "RolloutObserved", "ActionStarted", "ActionAbandoned",
          "RolloutObserved",
        ])
    }
    #expect(try await incident.fixture.salvage("status").stdout.contains("phase       stopped"))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }
}
