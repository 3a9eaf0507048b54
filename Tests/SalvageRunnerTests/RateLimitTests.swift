import SalvageCore
import SalvageFakes
import Synchronization
import Testing

/// The namespace's rate limit slows salvage down instead of
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

  @Test func aNamespaceThrottledForTenMinutesSlowsTheClosedResetsDownAndFailsNone() async throws {
    // Given five closed runs, reset one at a time, and a namespace whose rate limit another client
    // uses up for the first ten minutes of the reset (every per-run change refused meanwhile)
    let world = try RunbookInProcess(closed: 5)
    let clock = InstantClock()
    let throttledFrom = Mutex<Duration?>(nil)
    world.cluster.throttlePerRunChanges {
      let now = clock.slept
      return throttledFrom.withLock { from in
        if from == nil { from = now }
        return now - (from ?? now) < .seconds(600)
      }
    }
    // When salvage runs the incident to the end
    let notices = Mutex<[RunbookRunner.Notice]>([])
    let stop = try await world.runner(
      chunkSize: 5, concurrency: 1, clock: clock,
      notice: { notice in notices.withLock { $0.append(notice) } }
    ).run()
    // Then it finished: every closed run was reset exactly once, none recorded failed, and it
    // waited the throttle out on its clock, saying it slowed down for the rate limit
    #expect(stop == .finished)
    let slowed = notices.withLock { $0 }.compactMap { notice -> Int? in
      if case .slowedByRateLimit(_, let refused, let pace) = notice, pace.callsPerSecond < 150 {
        return refused
      }
      return nil
    }
    #expect(slowed.count == 1 && slowed[0] > 100, "\(slowed)")
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    let resets = world.cluster.resetsPerRun
    #expect(closed.map { resets[$0] ?? 0 } == [1, 1, 1, 1, 1])
    #expect(try world.state?.progress.failures.isEmpty == true)
    #expect(clock.slept >= .seconds(600))
  }

  @Test(.timeLimit(.minutes(1)))
  func aNamespaceThatRefusesEveryResetForAQuarterOfAnHourEndsTheRunSayingToRunAgainLater()
    async throws
  {
    // Given five closed runs and a namespace whose rate limit refuses every reset until it is
    // lifted
    let world = try RunbookInProcess(closed: 5)
    let clock = InstantClock()
    let lifted = Atomic(false)
    world.cluster.throttlePerRunChanges { !lifted.load(ordering: .relaxed) }
    // When salvage runs the incident
    let stop = try await world.runner(chunkSize: 5, clock: clock).run()
    // Then, a quarter of an hour of refusals later, it stops and says why and what to do, with
    // nothing reset and the chunk's runs recorded as not reset
    guard case .blocked(let message) = stop else {
      Issue.record("the run ended \(stop)")
      return
    }
    #expect(message.hasPrefix("5 closed runs of chunk 0 could not be reset: "))
    #expect(
      message.contains(
        "the namespace's rate limit refused ResetWorkflowExecution, and every call like it, for "
      ))
    #expect(message.contains("run again once the namespace has room"))
    #expect(clock.slept >= .seconds(900) && clock.slept < .seconds(1_200), "\(clock.slept)")
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    #expect(closed.map { world.cluster.resetsPerRun[$0] ?? 0 } == [0, 0, 0, 0, 0])
    // And once the namespace has room, the next run resets every closed run exactly once
    lifted.store(true, ordering: .relaxed)
    #expect(try await world.runner(chunkSize: 5).run() == .finished)
    let resets = world.cluster.resetsPerRun
    #expect(closed.map { resets[$0] ?? 0 } == [1, 1, 1, 1, 1])
  }

  @Test func aFreezeWhoseDescribesTheNamespaceRefusesSaysItSlowedDown() async throws {
    // Given five closed runs, and a namespace that refuses the first three describes of a run
    let world = try RunbookInProcess(closed: 5)
    let refusals = Atomic(3)
    world.cluster.throttleRunDescribes {
      refusals.subtract(1, ordering: .relaxed).newValue >= 0
    }
    // When salvage runs the incident to the end
    let notices = Mutex<[RunbookRunner.Notice]>([])
    let stop = try await world.runner(
      chunkSize: 5, notice: { notice in notices.withLock { $0.append(notice) } }
    ).run()
    // Then it finished, and the freeze (the first describes of the closed runs) said that it
    // slowed down for the three refusals
    #expect(stop == .finished)
    let slowed = notices.withLock { $0 }.compactMap { notice -> String? in
      if case .slowedByRateLimit(let action, let refused, _) = notice, refused == 3 {
        return action
      }
      return nil
    }
    #expect(slowed == ["freezing the closed runs"])
    #expect(world.cluster.refusedReads == 3)
  }

  @Test(.timeLimit(.minutes(1)))
  func aRunTerminatedForItsRestartIsStartedAgainHoweverLongTheNamespaceRefusesTheStart()
    async throws
  {
    // Given three stuck runs decided for a restart, one at a time, a patience of 5 s, and a
    // namespace that refuses every per-run change after the first terminate, for a minute
    let world = try RunbookRestartTests.world()
    let clock = InstantClock()
    let changes = Atomic(0)
    world.cluster.throttlePerRunChanges {
      changes.add(1, ordering: .relaxed).newValue > 1 && clock.slept < .seconds(60)
    }
    // When salvage runs the incident to the end
    let stop = try await world.runner(
      chunkSize: 10, concurrency: 1, clock: clock, refusalPatience: 5
    ).run()
    // Then the terminated run was started again once the namespace had room, never given up,
    // and every workflow id has exactly one new run on v1
    #expect(stop == .finished)
    let outcomes = try #require(try world.state).progress.restarts.values.flatMap { $0 }
    #expect(outcomes.filter { $0.result == .failed }.isEmpty, "\(outcomes.map(\.reason))")
    for (id, history) in RunbookRestartTests.runs(world) {
      #expect(history.count == 2, "\(id) has \(history.count) runs")
      #expect(history.last?.build == "v1")
    }
  }

  @Test(.timeLimit(.minutes(1)))
  func aFreezeWhoseReadsAreGivenUpStopsAtTheFirstNotOnePerRun() async throws {
    // Given 200 closed runs, a patience of none, and a namespace that refuses every describe
    let world = try RunbookInProcess(closed: 200)
    world.cluster.throttleRunDescribes { true }
    // When salvage runs the incident
    await #expect {
      _ = try await world.runner(chunkSize: 500, refusalPatience: 0).run()
    } throws: { error in
      (error as? TemporalError)?.isRefusedTooLong == true
    }
    // Then the freeze stopped at the reads given up, instead of sending one more for every run
    #expect(world.cluster.refusedReads < 40, "\(world.cluster.refusedReads) reads refused")
  }
}
