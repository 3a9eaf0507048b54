import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// A change that failed because the connection could not be made (`unreachable`) was never sent:
/// unlike a lost answer, nothing can land later, so salvage sends it again at once instead of
/// waiting out the window a lost answer needs (15 s a run, 90 s a batch).
@Suite struct UnsentIsNotALostAnswerTests {
  @Test func aResetThatCouldNotBeSentIsSentAgainWithoutTheLostAnswerWait() async throws {
    // Given ten closed runs, and every third reset failing before it is sent (no connection)
    let world = try RunbookInProcess(closed: 10)
    #expect(try await world.runner().run(until: .drained) == .reached(.drained))
    world.cluster.failPerRunChangesUnsent(every: 3)
    let clock = InstantClock()
    // When salvage resets them, one at a time
    #expect(
      try await world.runner(chunkSize: 10, concurrency: 1, clock: clock).run() == .finished)
    // Then each run was reset once, recorded as salvage's reset, and no run waited for a lost
    // answer: the whole clean-up slept less than one lost-answer window
    let outcomes = try #require(try world.state).progress.closedResets.values.flatMap { $0 }
    #expect(outcomes.count == 10)
    #expect(outcomes.allSatisfy { $0.result == .reset })
    #expect(outcomes.map { world.cluster.resetsPerRun[$0.runID] ?? 0 } == outcomes.map { _ in 1 })
    #expect(clock.slept < .seconds(RunbookRunner.Timing().perRunLostAnswerWindow))
  }
}
