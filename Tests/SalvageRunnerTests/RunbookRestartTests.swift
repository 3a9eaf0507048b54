import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// Terminate and restart (the runbook's fifth row), in process: the set frozen before any
/// termination, each run terminated by run id and started again once, whatever kills the run.
@Suite struct RunbookRestartTests {
  /// The in-process rollout, plus ReplaceWorkflow (3 Running, 1 Failed on the bad build) decided
  /// for a restart onto the good build.
  static func world(skewMinutes: Int64 = 0) throws -> RunbookInProcess {
    let world = try RunbookInProcess(skewMinutes: skewMinutes)
    world.cluster.add("ReplaceWorkflow", .running, count: 3)
    world.cluster.add("ReplaceWorkflow", .failed, count: 1, prefix: "replace-failed")
    try decideRestart(world)
    return world
  }

  /// Records the decision an operator makes with `decide --type ReplaceWorkflow --restart`
  /// (`--target-build` when `target` is not v1).
  static func decideRestart(
    _ world: RunbookInProcess, closedStatuses: [ExecutionStatus]? = nil, target: String = "v1"
  ) throws {
    try world.decide(
      StrategyDecided(
        workflowType: "ReplaceWorkflow", restartable: true, corrupted: false,
        strategy: .terminateAndRestart,
        targetBuild: target, source: .operatorDecision, rationale: "stateless",
        closedStatuses: closedStatuses))
  }

  /// Every ReplaceWorkflow workflow id: its runs, oldest first.
  static func runs(_ world: RunbookInProcess) -> [String: [ScriptedCluster.Execution]] {
    Dictionary(
      grouping: world.cluster.executions.filter { $0.type == "ReplaceWorkflow" }, by: \.workflowID)
  }

  @Test func eachRunningExecutionIsTerminatedAndStartedAgainOncePinnedToTheGoodBuild() async throws
  {
    // Given three stuck ReplaceWorkflow runs and one Failed, decided for a restart
    let world = try Self.world()
    // When salvage runs to the end
    #expect(try await world.runner(chunkSize: 10).run() == .finished)
    // Then each workflow id has its old run (terminated, or the Failed one) and exactly one new run on v1
    let runs = Self.runs(world)
    #expect(runs.count == 4)
    for (id, history) in runs {
      #expect(history.count == 2, "\(id) has \(history.count) runs")
      #expect(history.last?.build == "v1")
      #expect(history.last?.requestIDs == ["salvage/orders-1/restart/\(history[0].runID)"])
    }
    #expect(runs.values.compactMap(\.first).filter { $0.status == .terminated }.count == 3)
    // And the set was frozen, with each run's first-event digest, before the round's intent
    let state = try #require(try world.state)
    let freeze = try #require(state.progress.restartFreezes["ReplaceWorkflow"])
    #expect(freeze.frozen.count == 3)
    let frozen = try world.open().executions(namedBy: freeze.event)
    #expect(
      frozen.map(\.firstEvent) == frozen.map { "first-event:\($0.runID):input of \($0.workflowID)" }
    )
    let events = try world.open().events(of: world.incident).map(\.event)
    let frozenAt = try #require(
      events.firstIndex { if case .restartTargetsFrozen = $0 { true } else { false } })
    let startedAt = try #require(
      events.firstIndex {
        if case .actionStarted(let started) = $0 {
          started.action == "recover-ReplaceWorkflow-1"
        } else {
          false
        }
      })
    #expect(frozenAt < startedAt)
    // And the round and the closed reset record old → new run per execution
    #expect(
      state.progress.restarts["recover-ReplaceWorkflow-1"]?.map(\.result) == [
        .restarted, .restarted, .restarted,
      ])
    let closed = state.progress.closedResets.values.flatMap { $0 }.filter {
      $0.workflowID.hasPrefix("replace-failed")
    }
    #expect(closed.map(\.result) == [.restarted])
    #expect(closed.first?.newRunID == runs["replace-failed-0"]?.last?.runID)
  }

  /// Where the round dies: at a boundary, or inside its n-th call (terminate, start, …), the
  /// request delivered to the server or lost.
  static let points: [RunbookCrashMatrixTests.Point] = [
    .boundary(.beforeIntent), .boundary(.afterIntent), .boundary(.afterCall),
  ]

  @Test(arguments: points)
  func aRoundKilledAtABoundaryIsFinishedByTheNextRunWithoutASecondStart(
    point: RunbookCrashMatrixTests.Point
  ) async throws {
    guard case .boundary(let boundary) = point else { return }
    try await killAndFinish(
      crashAt: (boundary, "recover-ReplaceWorkflow-1"), world: try Self.world())
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6], [true, false])
  func aRoundKilledInsideAnyCallIsFinishedByTheNextRunWithoutASecondStart(nth: Int, delivered: Bool)
    async throws
  {
    // Given the round dies in its nth change (terminates and starts alternate per run)
    let world = try Self.world()
    world.cluster.crashMidCall(action: "recover-ReplaceWorkflow-1", nth: nth, delivered: delivered)
    try await killAndFinish(crashAt: nil, world: world)
  }

  func killAndFinish(crashAt: (RunbookRunner.Boundary, String)?, world: RunbookInProcess)
    async throws
  {
    await #expect(throws: CrashSwitch.Crashed.self) {
      _ = try await world.runner(crashAt: crashAt, chunkSize: 10, callsPerSecond: 3000).run()
    }
    // When a fresh runner resumes on the same journal file
    #expect(try await world.runner(chunkSize: 10).run() == .finished)
    // Then every ReplaceWorkflow id was started again exactly once, on v1
    for (id, history) in Self.runs(world) {
      #expect(history.count == 2, "\(id) has \(history.count) runs")
      #expect(history.last?.build == "v1")
    }
    // And the journal says so: the in-doubt round was settled by the check, not sent twice
    let state = try #require(try world.state)
    let outcomes = state.progress.restarts.values.flatMap { $0 }
    #expect(
      Set(
        outcomes.filter { $0.result == .restarted || $0.result == .alreadyRestarted }.map(
          \.workflowID)
      ).count == 3)
    #expect(try world.open().verify().isIntact)
  }

  @Test func aChildAndANexusStartedRunAreRefusedByNameAndNeverTerminated() async throws {
    // Given one ReplaceWorkflow run is a child and another was started by a Nexus operation
    let world = try Self.world()
    world.cluster.link("replaceworkflow-0", parent: "parent-1/run-9")
    world.cluster.link("replaceworkflow-1", callbacks: 1)
    // When salvage runs
    let outcome = try await world.runner(chunkSize: 10).run()
    // Then it stops (exit 11) naming both, and only the third run was restarted
    guard case .blocked(let reason) = outcome else {
      Issue.record("expected blocked, got \(outcome)")
      return
    }
    #expect(reason.contains("ReplaceWorkflow: 2 Running executions were not restarted"))
    #expect(reason.contains("replaceworkflow-0 (run "))
    #expect(reason.contains("it is a child of parent-1/run-9"))
    #expect(reason.contains("it was started by a Nexus operation (1 completion callbacks)"))
    let runs = Self.runs(world)
    #expect(runs["replaceworkflow-0"]?.map(\.status) == [.running])
    #expect(runs["replaceworkflow-1"]?.map(\.status) == [.running])
    #expect(runs["replaceworkflow-2"]?.map(\.status) == [.terminated, .completed])
    #expect(
      !world.cluster.changes.contains(
        .terminateRun(
          workflowID: "replaceworkflow-0", runID: runs["replaceworkflow-0"]?.first?.runID ?? "")))
  }

  @Test func aRunThatEndedOnItsOwnBeforeItsTerminationIsLeftAloneAndNotStarted() async throws {
    // Given a frozen ReplaceWorkflow run completes on its own before the round reaches it
    let world = try Self.world()
    world.cluster.crashMidCall(action: "recover-ReplaceWorkflow-1", nth: 1, delivered: false)
    await #expect(throws: CrashSwitch.Crashed.self) {
      _ = try await world.runner(chunkSize: 10).run()
    }
    world.cluster.end("replaceworkflow-2", as: .completed)
    // When the next run settles the round
    #expect(try await world.runner(chunkSize: 10).run() == .finished)
    // Then that run was left alone with the reason, and its workflow id has one run still
    let outcomes = try #require(try world.state).progress.restarts.values.flatMap { $0 }
    let left = outcomes.first { $0.workflowID == "replaceworkflow-2" }
    #expect(left?.result == .leftAlone)
    #expect(left?.reason?.contains("it closed as Completed before it was terminated") == true)
    #expect(Self.runs(world)["replaceworkflow-2"]?.count == 1)
  }

  @Test(arguments: [false, true])
  func aCompletedRunOfARestartTypeIsStartedAgainOnlyWhenCompletedWasChosen(chosen: Bool)
    async throws
  {
    // Given a Completed ReplaceWorkflow run on the bad build, and Completed chosen or not for the type
    let world = try RunbookInProcess()
    world.cluster.add("ReplaceWorkflow", .running, count: 1)
    world.cluster.add("ReplaceWorkflow", .completed, count: 1, prefix: "replace-done")
    try Self.decideRestart(
      world, closedStatuses: chosen ? [.failed, .timedOut, .completed] : ClosedStatuses.default)
    // When salvage runs to the end
    #expect(try await world.runner(chunkSize: 10).run() == .finished)
    // Then the Completed run was started again once (allowed after a completed run) only when chosen
    let runs = Self.runs(world)["replace-done-0"] ?? []
    #expect(runs.count == (chosen ? 2 : 1))
    let starts = world.cluster.changes.compactMap { change -> IDReusePolicy? in
      if case .startAgain(let first, _, _, let reuse) = change, first.workflowID == "replace-done-0"
      {
        return reuse
      }
      return nil
    }
    #expect(starts == (chosen ? [.allowDuplicate] : []))
  }

  @Test func theDrainedGateReadsTheRestartsTimeOnTheServersClockNotTheJournals() async throws {
    // Given the journal's clock 10 minutes ahead of the server's, and a type restarted
    let world = try Self.world(skewMinutes: 10)
    // When salvage runs
    #expect(try await world.runner(chunkSize: 10).run() == .finished)
    // Then the round's time is the server's (a replaced run's close time), so drainage checked
    // after it opens the gate
    let state = try #require(try world.state)
    let round = try #require(state.progress.restartStartedAt["recover-ReplaceWorkflow-1"])
    let ended = try #require(
      state.progress.actions.first { $0.id == "recover-ReplaceWorkflow-1" }?.endedAt)
    #expect(round.millisecondsSinceEpoch < ended.millisecondsSinceEpoch - 9 * 60_000)
    #expect(state.phase == .cleaned)
  }
}
