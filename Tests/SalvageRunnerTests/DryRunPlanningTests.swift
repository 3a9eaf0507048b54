import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// A dry run is the normal runner over a scratch copy of the journal and a planning client over
/// the (in-memory) cluster: it plans to the end and changes nothing.
@Suite struct DryRunPlanningTests {
  static let bad = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2")

  /// A dry run of `world`: its plan, its outcome, and the scratch journal's state after it.
  func dryRun(_ world: RunbookInProcess) async throws -> (
    RunbookRunner.StopReason, DryRunPlan, IncidentState?
  ) {
    let scratch = try SQLiteEventJournal(scratchCopyOf: try world.open())
    let cluster = world.cluster
    let planner = PlanningTemporalClient(live: cluster, bad: Self.bad, now: { cluster.now })
    var timing = RunbookRunner.Timing()
    timing.chunkSize = 2
    timing.poll = 0.01
    let ids = EventIDs()
    let runner = RunbookRunner(
      journal: scratch, temporal: planner, incident: world.incident, actor: "alice",
      dependencies: .init(newEventID: { ids.next() }, clock: InstantClock(), timing: timing))
    let outcome = try await runner.run()
    let state = try scratch.state(of: world.incident)
    let plan = state.map {
      DryRunPlan(changes: planner.changes, state: $0, awaitedPollers: planner.awaitedPollers)
    }
    return (outcome, try #require(plan), state)
  }

  @Test func aDryRunPlansThroughCleanUpInOrderAndWritesNothing() async throws {
    // Given a decided bad rollout in a journal file: 3 OrderWorkflow and 2 PaymentWorkflow stuck,
    // 4 Failed, 1 TimedOut
    let world = try RunbookInProcess(onDisk: true)
    let before = try Data(contentsOf: URL(fileURLWithPath: world.path))
    let version = try world.state?.version
    // When salvage plans it
    let (outcome, plan, scratch) = try await dryRun(world)
    // Then the plan reaches the end of the runbook, every change in order, each closed run on its own
    #expect(outcome == .finished)
    #expect(scratch?.phase == .cleaned)
    #expect(
      plan.steps.map(\.action) == [
        "stop-1", "recover-OrderWorkflow-1", "recover-PaymentWorkflow-1", "reset-closed-0-1",
        "reset-closed-0-1",
        "reset-closed-1-1", "reset-closed-1-1", "reset-closed-2-1", "clean-up-1",
      ])
    #expect(
      plan.steps.map(\.step) == [
        .stop, .recover, .recover, .resetClosed, .resetClosed, .resetClosed, .resetClosed,
        .resetClosed, .cleanUp,
      ])
    #expect(plan.steps.allSatisfy { $0.command.first == "temporal" })
    let closed = (world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")).sorted()
    #expect(plan.steps.compactMap { $0.closedRun?.runID } == closed)
    #expect(plan.closedRuns == 5)
    // And nothing changed on the cluster, and the journal file is byte for byte as it was
    #expect(world.cluster.changes.isEmpty)
    #expect(world.cluster.routing.current == "v2")
    #expect(try Data(contentsOf: URL(fileURLWithPath: world.path)) == before)
    #expect(try world.state?.version == version)
  }

  @Test func theRealRunThenJournalsTheCommandsTheDryRunPlanned() async throws {
    // Given the plan of a decided bad rollout
    let world = try RunbookInProcess()
    let (_, plan, _) = try await dryRun(world)
    // When the real run goes through it
    #expect(try await world.runner().run() == .finished)
    // Then each action it started has the command the plan's first change of that action has
    let started = try world.open().events(of: world.incident).compactMap {
      recorded -> ActionStarted? in
      if case .actionStarted(let started) = recorded.event { return started }
      return nil
    }
    var planned: [(String, [String])] = []
    for step in plan.steps where planned.last?.0 != step.action {
      planned.append((step.action, step.command))
    }
    #expect(started.map(\.action) == planned.map(\.0))
    #expect(started.map(\.command) == planned.map(\.1))
    // And the closed runs it reset are the ones the plan listed
    let resets = world.cluster.resetsPerRun
    #expect(
      plan.steps.compactMap { $0.closedRun.map { resets[$0.runID] ?? 0 } } == [1, 1, 1, 1, 1])
  }

  @Test func workersStillPollingTheBadVersionAreNamedAndDoNotStallThePlan() async throws {
    // Given a bad rollout whose bad workers still poll v2
    let world = try RunbookInProcess()
    world.cluster.setPollers(["bad-worker-1@host"])
    // When salvage plans it
    let (outcome, plan, _) = try await dryRun(world)
    // Then it plans the delete anyway and says the real run waits for that worker
    #expect(outcome == .finished)
    #expect(plan.steps.last?.step == .cleanUp)
    #expect(plan.awaitedPollers == ["bad-worker-1@host"])
  }

  @Test func aPlannedBatchAnswersCompletedWithWhatItsQueryMatchesAndTheVersionDrainsAfterIt()
    async throws
  {
    // Given 3 OrderWorkflow runs stuck on v2, routing already back on v1
    let cluster = ScriptedCluster(current: "v1")
    cluster.add("OrderWorkflow", .running, count: 3)
    let planner = PlanningTemporalClient(live: cluster, bad: Self.bad, now: { cluster.now })
    let pinned = VisibilityQuery.all([
      .equals(.workerDeploymentVersion, "orders:v2"), .equals(.executionStatus, "Running"),
    ])
    let job = BatchJobID(rawValue: "salvage/orders-1/recover-OrderWorkflow-1")
    #expect(try await planner.describeVersion(Self.bad).drainage == .draining)
    // When a recovery batch is planned
    let good = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v1")
    let result = try await planner.perform(
      .resetWithMove(query: pinned, target: .firstWorkflowTask, pinTo: good, job: job),
      context: ChangeContext(identity: job.rawValue, reason: "test"))
    // Then it answers as a fresh launch, describes as completed on all 3, and nothing is Running there any more
    #expect(result == .batch(job, alreadyStarted: false))
    let described = try await planner.describeBatch(job)
    #expect(described.state == .completed)
    #expect(
      [described.totalCount, described.completeCount, described.failureCount] as [Int] == [3, 3, 0])
    #expect(try await planner.count(pinned) == 0)
    let version = try await planner.describeVersion(Self.bad)
    #expect(version.drainage == .drained)
    let started = try #require(described.startTime)
    #expect(try #require(version.drainageCheckedAt) > started)
    // And after a planned delete the version is gone, while the cluster still has it and ran nothing
    _ = try await planner.perform(
      .deleteVersion(Self.bad), context: ChangeContext(identity: "x", reason: "test"))
    await #expect(throws: TemporalError.self) { try await planner.describeVersion(Self.bad) }
    #expect(cluster.builds.contains("v2"))
    #expect(cluster.changes.isEmpty)
    #expect(try await cluster.count(pinned) == 3)
  }

  @Test func aRestartIsPlannedAsATerminationThenAStartPerRunAndTheRealRunStartsEachOnce()
    async throws
  {
    // Given a bad rollout with ReplaceWorkflow decided for a restart (3 Running, 1 Failed)
    let world = try RunbookRestartTests.world()
    // When salvage plans it
    let (outcome, plan, _) = try await dryRun(world)
    // Then the rounds (a chunk of 2 runs each) are planned run by run, each termination before its
    // start, and the Failed run is started again (provisionally) in its closed chunk; nothing
    // happened on the cluster
    #expect(outcome == .finished)
    let rounds = plan.steps.filter { $0.action.hasPrefix("recover-ReplaceWorkflow-") }
    let round = rounds.filter { $0.action == "recover-ReplaceWorkflow-1" }
    let running = world.cluster.executions.filter {
      $0.type == "ReplaceWorkflow" && $0.status == .running
    }
    // (the scripted cluster's command is `temporal <the change> --identity …`)
    func kind(_ step: DryRunPlan.Step) -> String { String(step.command[1].prefix { $0 != "(" }) }
    #expect(
      rounds.map(kind)
        == Array(repeating: ["terminateRun", "startAgain"], count: running.count).flatMap { $0 })
    #expect(running.count == 3 && round.count == 4)
    #expect(
      Set(rounds.map(\.action)) == ["recover-ReplaceWorkflow-1", "recover-ReplaceWorkflow-2"])
    #expect(round.allSatisfy { $0.safety == .runOnce })
    let closedStart = plan.steps.first { $0.step == .resetClosed && kind($0) == "startAgain" }
    #expect(closedStart?.closedRun?.workflowID == "replace-failed-0")
    #expect(world.cluster.changes.isEmpty)
    // And the real run then journals the round's first start as its intent, and starts each run once
    #expect(try await world.runner().run() == .finished)
    let started = try #require(try world.state).progress.actions.first {
      $0.id == "recover-ReplaceWorkflow-1"
    }
    #expect(started?.command == round.first { kind($0) == "startAgain" }?.command)
    #expect(RunbookRestartTests.runs(world).values.allSatisfy { $0.count == 2 })
  }
}

/// The estimate a dry run prints: calls, time at the server's published pace, and Cloud Actions.
extension DryRunPlanningTests {
  @Test("A dry run estimates each action's calls, time and Actions, and the server's waits")
  func aDryRunEstimatesEachActionsCallsTimeAndActionsAndTheServersWaits() async throws {
    // Given a decided bad rollout: 3 OrderWorkflow reset in one batch, 2 PaymentWorkflow moved in
    // another, 5 closed runs reset in chunks of 2, and a worker still polling the bad version
    let world = try RunbookInProcess()
    world.cluster.setPollers(["worker-v2-a"])
    let (_, plan, _) = try await dryRun(world)
    // When the plan is estimated at --rps 6 (two closed resets a second, three calls each)
    let estimate = DryRunEstimate(plan, pace: .init(callsPerSecond: 6))
    // Then each action has its row in order, with a drain wait after the last recovery and a
    // poller wait before the delete
    #expect(
      estimate.rows.map(\.label) == [
        "stop", "recover OrderWorkflow", "recover PaymentWorkflow", "wait for drainage",
        "reset-closed 0", "reset-closed 1", "reset-closed 2",
        "wait for the bad workers to be stopped and forgotten", "clean-up",
      ])
    // And a batch bills an Action per Workflow it selects, a closed reset one each (three calls
    // each, paced at --rps), a stop and a delete none
    #expect(estimate.rows.map(\.actions) == [0, 3, 2, 0, 2, 2, 1, 0, 0])
    #expect(estimate.rows.map(\.calls) == [3, 2, 2, 0, 6, 6, 3, 0, 2])
    #expect(estimate.rows.map(\.seconds) == [1, 1, 1, 360, 1, 1, 0.5, 300, 1])
    #expect(estimate.actions == 10)
    #expect(estimate.waitSeconds == 660)
    #expect(estimate.calls == 24)
  }

  @Test("A batch of thousands is estimated at the batcher's 50 Workflows a second")
  func aBatchOfThousandsIsEstimatedAtTheBatchersFiftyWorkflowsASecond() async throws {
    // Given a bad rollout with 1,000 stuck OrderWorkflow executions
    let world = try RunbookInProcess(stuck: 1000)
    let (_, plan, _) = try await dryRun(world)
    // When the plan is estimated
    let estimate = DryRunEstimate(plan, pace: .init(callsPerSecond: 150))
    // Then their batch takes 20 s (a describe each second) and bills 1,000 Actions
    let order = try #require(estimate.rows.first { $0.label == "recover OrderWorkflow" })
    #expect(order.seconds == 20)
    #expect(order.calls == 21)
    #expect(order.actions == 1000)
  }

  @Test("A restart is estimated at the calls each run takes: check, first event, terminate, start")
  func aRestartIsEstimatedAtTheCallsEachRunTakes() async throws {
    // Given three stuck ReplaceWorkflow runs and one Failed, decided for a restart
    let world = try RunbookRestartTests.world()
    let (_, plan, _) = try await dryRun(world)
    // When the plan is estimated at --rps 6
    let estimate = DryRunEstimate(plan, pace: .init(callsPerSecond: 6))
    // Then each Running run takes four calls (its check, its first event, the terminate, the
    // start) and bills one Action (the start): 12 calls in rounds of two runs and one, two
    // seconds at that pace; the Failed run, started again after drainage, three (no terminate),
    // beside the five closed resets' three each
    let rounds = estimate.rows.filter { $0.label == "recover ReplaceWorkflow" }
    #expect(rounds.map(\.calls) == [8, 4])
    let seconds = rounds.map(\.seconds).reduce(0, +)
    #expect(abs(seconds - 2) < 1e-9)
    #expect(rounds.map(\.actions) == [2, 1])
    let closed = estimate.rows.filter { $0.label.hasPrefix("reset-closed") }
    let closedCalls = closed.map(\.calls).reduce(0, +)
    #expect(closedCalls == 18)
  }
}
