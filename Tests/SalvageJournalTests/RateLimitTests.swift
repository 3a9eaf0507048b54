import SalvageCore
import SalvageTestSupport
import Testing

/// Finding 9 of the exactly-once review: the namespace's rate limit slows salvage down instead of
/// stopping it.
@Suite struct RateLimitTests {
  @Test func closedResetsRefusedByTheRateLimitAreSentAgainSlowerAndEachRunIsResetOnce()
    async throws
  {
    // Given five closed runs and a namespace that refuses every second per-run change
    let world = try RunbookInProcess(closed: 5)
    world.cluster.rateLimitPerRunChanges(every: 2)
    // When salvage runs the incident to the end
    #expect(try await world.runner(chunkSize: 5).run() == .finished)
    // Then every closed run was reset exactly once, and nothing is recorded failed
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    let resets = world.cluster.resetsPerRun
    #expect(closed.map { resets[$0] ?? 0 } == [1, 1, 1, 1, 1])
    #expect(try world.state?.progress.failures.isEmpty == true)
  }

  @Test func restartsRefusedByTheRateLimitAreSentAgainSlowerAndEachRunStartsOnce() async throws {
    // Given three stuck ReplaceWorkflow runs decided for a restart, and every third per-run
    // change refused by the namespace's rate limit
    let world = try RunbookRestartTests.world()
    world.cluster.rateLimitPerRunChanges(every: 3)
    // When salvage runs the incident to the end
    #expect(try await world.runner().run() == .finished)
    // Then each workflow id has its old run and exactly one new run on v1
    for (id, history) in RunbookRestartTests.runs(world) {
      #expect(history.count == 2, "\(id) has \(history.count) runs")
      #expect(history.last?.build == "v1")
    }
  }
}
