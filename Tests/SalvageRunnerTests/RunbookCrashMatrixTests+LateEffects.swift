import SalvageCore
import SalvageFakes
import Testing

/// The crash matrix with production's late effects on: a batch that starts after its
/// launch timed out, a reset that lands after its answer was lost, and drainage on the server's
/// clocks, besides visibility 5 s behind.
extension RunbookCrashMatrixTests {
  /// Every action at every point but one: the late batch's launch never answers, so its run never
  /// reaches the after-call boundary.
  static let lateCases: [(String, Point)] = actions.flatMap { action in
    points.map { (action, $0) }
  }.filter { action, point in
    if case .boundary(.afterCall) = point { return action != "recover-OrderWorkflow-1" }
    return true
  }

  @Test(arguments: lateCases)
  func aRunKilledAnywhereWithLateEffectsAndDrainageClocksIsFinishedByTheNext(
    action: String, point: Point
  ) async throws {
    // Given visibility 5 s behind, drainage checked every 180 s after a 180 s grace, the
    // OrderWorkflow recovery batch starting 20 s after its launch timed out, and the first closed
    // run's reset landing 5 s after its answer was lost (its chunk's first call: the resets go one
    // at a time, and the mid-call crash takes the chunk's second)
    let world = try RunbookInProcess(visibilityLag: 5)
    world.cluster.drainage(refreshEvery: 180, grace: 180)
    world.cluster.startLate(action: "recover-OrderWorkflow-1", afterSeconds: 20)
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    world.cluster.resetLate(try #require(closed.min()), afterSeconds: 5)
    // When a run dies at this point of this action, and a fresh one finishes; then exactly once
    try await killAndFinish(action: action, point: point, world: world, concurrency: 1)
  }
}
