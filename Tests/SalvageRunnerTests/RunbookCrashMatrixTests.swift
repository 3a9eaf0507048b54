import SalvageCore
import SalvageFakes
import Testing

/// The fast crash matrix (docs/design.md §9): a whole bad rollout in process, the process "killed" at
/// every boundary of every action, and a fresh runner on the same journal file finishing it.
@Suite struct RunbookCrashMatrixTests {
  /// Where a run dies: at a boundary the runner reports, or inside the call, with the request
  /// delivered to the server or lost on the way.
  enum Point: CustomTestStringConvertible, Sendable {
    case boundary(RunbookRunner.Boundary)
    case midCall(delivered: Bool)

    var testDescription: String {
      switch self {
      case .boundary(let boundary): boundary.rawValue
      case .midCall(let delivered): delivered ? "mid-call, delivered" : "mid-call, lost"
      }
    }
  }

  static let actions = [
    "stop-1", "recover-OrderWorkflow-1", "recover-PaymentWorkflow-1", "reset-closed-0-1",
    "reset-closed-2-1",
    "clean-up-1",
  ]
  static let points: [Point] = [
    .boundary(.beforeIntent), .boundary(.afterIntent), .midCall(delivered: true),
    .midCall(delivered: false),
    .boundary(.afterCall),
  ]

  /// A ramp is stopped in two actions: its percentage to 0, then its removal.
  static let rampActions = ["stop-1", "stop-2"]

  @Test(arguments: actions, points)
  func aRunKilledAnywhereIsFinishedByTheNextWithEveryRunResetExactlyOnce(
    action: String, point: Point
  ) async throws {
    try await killAndFinish(action: action, point: point, world: try RunbookInProcess())
  }

  @Test(arguments: actions, points)
  func aRunKilledAnywhereUnderLaggingVisibilityIsFinishedByTheNext(action: String, point: Point)
    async throws
  {
    // Visibility answers 5 s of server time behind: counts, lists and the batches' selections
    try await killAndFinish(
      action: action, point: point, world: try RunbookInProcess(visibilityLag: 5))
  }

  @Test(arguments: points)
  func aRunKilledAnywhereInASecondRoundUnderLaggingVisibilityIsFinishedByTheNext(point: Point)
    async throws
  {
    let world = try RunbookInProcess(visibilityLag: 5)
    world.cluster.failBatches(on: "OrderWorkflow", each: 1)
    try await killAndFinish(action: "recover-OrderWorkflow-2", point: point, world: world)
  }

  @Test(arguments: rampActions, points)
  func aRunKilledAnywhereWhileStoppingARampIsFinishedByTheNext(action: String, point: Point)
    async throws
  {
    let world = try RunbookInProcess(ramp: true)
    try await killAndFinish(action: action, point: point, world: world)
    #expect(world.cluster.routing.ramping == nil)
  }

  @Test(arguments: points)
  func aRunKilledAnywhereInASecondRecoveryRoundIsFinishedByTheNext(point: Point) async throws {
    // Given a first OrderWorkflow round that fails on one execution, so a second round goes out
    let world = try RunbookInProcess()
    world.cluster.failBatches(on: "OrderWorkflow", each: 1)
    try await killAndFinish(action: "recover-OrderWorkflow-2", point: point, world: world)
  }

  /// With `concurrency` 1 a chunk's resets go one at a time, so its n-th call is always the same
  /// run's.
  func killAndFinish(
    action: String, point: Point, world: RunbookInProcess, concurrency: Int = 16
  ) async throws {
    // Given a bad rollout, and a run that dies at this point of this action
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    let stuck = world.runIDs("OrderWorkflow")
    var crashAt: (RunbookRunner.Boundary, String)?
    switch point {
    case .boundary(let boundary): crashAt = (boundary, action)
    case .midCall(let delivered):
      // The first closed-reset chunk (two runs) dies on its second run's reset; anything else
      // (the last chunk holds one run) on its first call
      world.cluster.crashMidCall(
        action: action, nth: action == "reset-closed-0-1" ? 2 : 1, delivered: delivered)
    }
    await #expect(throws: CrashSwitch.Crashed.self) {
      _ = try await world.runner(crashAt: crashAt, concurrency: concurrency).run()
    }
    #expect(world.crash.isTripped)
    // When a fresh runner resumes on the same journal file
    let outcome = try await world.runner(concurrency: concurrency).run()
    // Then the incident is cleaned: routing back on v1, v2 deleted
    #expect(outcome == .finished)
    #expect(try world.state?.phase == .cleaned)
    #expect(world.cluster.routing.current == "v1")
    #expect(!world.cluster.builds.contains("v2"))
    // And every closed run and every stuck OrderWorkflow run was reset exactly once, even after
    // any late change the server still held has landed
    world.cluster.advance(seconds: 120)
    let resets = world.cluster.resetsPerRun
    #expect(closed.map { resets[$0] ?? 0 } == Array(repeating: 1, count: closed.count))
    #expect(stuck.map { resets[$0] ?? 0 } == Array(repeating: 1, count: stuck.count))
    // And the PaymentWorkflow runs were moved to v3, and the Completed run left alone
    #expect(
      world.cluster.executions.filter { $0.type == "PaymentWorkflow" }.map(\.build) == ["v3", "v3"])
    #expect(
      world.cluster.executions.filter { $0.type == "ReportWorkflow" }.map(\.resetRunID) == [nil])
    // And v2 was deleted once, drained with nothing Running pinned to it
    #expect(world.cluster.deletions.map(\.drainage) == [.drained])
    #expect(world.cluster.deletions.map(\.pinnedRunning) == [0])
    // And nothing is in doubt
    #expect(try world.state?.progress.inDoubt.isEmpty == true)
  }

  @Test func anUninterruptedRunMakesOneBatchPerTypeAndOneResetPerClosedRun() async throws {
    let world = try RunbookInProcess()
    #expect(try await world.runner().run() == .finished)
    #expect(
      Set(world.cluster.batchJobs.map(\.rawValue)) == [
        "salvage/orders-1/recover-OrderWorkflow-1", "salvage/orders-1/recover-PaymentWorkflow-1",
      ])
    #expect(world.cluster.resetsPerRun.count == 3 + 5)
    #expect(
      try world.state?.progress.actions.map(\.id) == [
        "stop-1", "recover-OrderWorkflow-1", "recover-PaymentWorkflow-1", "reset-closed-0-1",
        "reset-closed-1-1",
        "reset-closed-2-1", "clean-up-1",
      ])
  }
}
