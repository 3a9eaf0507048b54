import SalvageCore
import SalvageFakes
import Synchronization
import Testing

/// The one pace of salvage's per-run calls: started at most at `--rps`, as many in flight as the
/// server answers quickly, halved when it refuses or slows down, and a refused call sent again.
@Suite struct CallLimiterTests {
  @Test func callsStartAtMostAtTheCeilingOnTheInjectedClockAndKeepTheirOrder() async throws {
    // Given a limiter of 50 calls a second, on a clock whose sleeps take no time
    let clock = InstantClock()
    let limiter = CallLimiter(.init(ceiling: 50, maxWidth: 16), clock: clock)
    // When 100 items make one call each, 16 items at once
    let results = try await paced(Array(0..<100), width: 16) { item in
      try await limiter.run { item * 2 }
    }
    // Then every result comes back in order, and the pace is 99 gaps of 20 ms, on the clock only
    #expect(results == Array(0..<100).map { $0 * 2 })
    #expect(clock.slept > .milliseconds(1979) && clock.slept < .milliseconds(1981))
  }

  @Test func aCallCancelledWhileItWaitsForAPlaceTakesNoStartTimeFromTheNext() async throws {
    // Given a limiter of one call a second, one at a time, with one call in flight and another
    // waiting for its place
    let clock = InstantClock()
    let limiter = CallLimiter(.init(ceiling: 1, maxWidth: 1, initialWidth: 1), clock: clock)
    let first = try await limiter.admit()
    let waiter = Task { try await limiter.admit() }
    while await limiter.reading.waiting == 0 { await Task.yield() }
    // When the waiting call is cancelled (its run stopped) and the first call is answered
    waiter.cancel()
    await limiter.finish(first, .answered)
    // Then the cancelled call gives its place up without a start time, and the next call starts
    // one second after the first, not two
    await #expect(throws: CancellationError.self) { _ = try await waiter.value }
    _ = try await limiter.admit()
    #expect(clock.slept == .seconds(1))
  }

  @Test func aRefusalLongAfterTheLastStartsANewStreakNotAGiveUp() async throws {
    // Given a limiter with a patience of 15 minutes whose one change was refused, then nothing
    // sent for 20 minutes (the run was waiting for drainage)
    let clock = InstantClock()
    let limiter = CallLimiter(.init(ceiling: 100, maxWidth: 16), clock: clock)
    let refused = TemporalError.rateLimited(call: "ResetWorkflowExecution", message: "limit")
    await #expect(throws: refused) { try await limiter.run(kind: .change) { throw refused } }
    try await clock.sleep(for: .seconds(1_200))
    // When the next change is refused
    // Then it is a refusal to send again, not one given up after 20 minutes of refusals
    await #expect(throws: refused) { try await limiter.run(kind: .change) { throw refused } }
  }

  @Test func theNumberInFlightGrowsWhileTheServerAnswersQuickly() async throws {
    // Given a limiter that starts 4 in flight, up to 64, at a ceiling it never reaches
    let clock = InstantClock()
    let limiter = CallLimiter(.init(ceiling: 10_000, maxWidth: 64, initialWidth: 4), clock: clock)
    let inFlight = Mutex((now: 0, most: 0))
    // When 400 calls are made, 64 items at once, each answered at once
    _ = try await paced(Array(0..<400), width: 64) { _ in
      try await limiter.run {
        inFlight.withLock {
          $0.now += 1
          $0.most = max($0.most, $0.now)
        }
        await Task.yield()
        inFlight.withLock { $0.now -= 1 }
      }
    }
    // Then it let more through than it started with, and never more than it read
    let reading = await limiter.reading
    #expect(reading.width > 4)
    #expect(inFlight.withLock { $0.most } <= reading.width)
    #expect(reading.slowdowns == 0)
  }

  @Test func aRefusalHalvesTheNumberInFlightAndThePaceOncePerWindow() async throws {
    // Given a limiter of 16 in flight at 1,000 calls a second, with 16 calls let through
    let clock = InstantClock()
    let limiter = CallLimiter(.init(ceiling: 1000, maxWidth: 64), clock: clock)
    var tickets: [CallLimiter.Ticket] = []
    for _ in 0..<16 { tickets.append(try await limiter.admit()) }
    // When the namespace's rate limit refuses all 16 of them
    for ticket in tickets { await limiter.finish(ticket, .refused) }
    // Then the limiter halved once for the window, not 16 times: 8 in flight, and a pace of half
    // what it reached in the last second (16 calls), each refusal counted
    let reading = await limiter.reading
    #expect(reading.width == 8)
    #expect(reading.callsPerSecond == 8)
    #expect(reading.refused == 16)
    #expect(reading.slowdowns == 1)
  }

  @Test func answersThatSlowDownToSeveralTimesTheQuickestHalveTheNumberInFlight() async throws {
    // Given a limiter started at 4 in flight whose first 20 answers each took 10 ms
    let clock = InstantClock()
    let limiter = CallLimiter(.init(ceiling: 1000, maxWidth: 64, initialWidth: 4), clock: clock)
    for _ in 0..<20 {
      let ticket = try await limiter.admit()
      try await clock.sleep(for: .milliseconds(10))
      await limiter.finish(ticket, .answered)
    }
    let before = await limiter.reading.width
    // When the answers slow down to 500 ms each
    for _ in 0..<20 {
      let ticket = try await limiter.admit()
      try await clock.sleep(for: .milliseconds(500))
      await limiter.finish(ticket, .answered)
    }
    // Then it had grown while the answers were quick, then halved the number in flight for the
    // slow answers, never below where it started, and left the pace alone
    let reading = await limiter.reading
    #expect(before > 4)
    #expect(reading.slowdowns >= 1)
    #expect(reading.width < before && reading.width >= 4)
    #expect(reading.callsPerSecond == 1000)
  }

  @Test func answersThatSlowDownAfterARefusalNeverRaiseTheNumberInFlightBackToWhereItStarted()
    async throws
  {
    // Given a limiter started at 16 in flight, whose quickest answers took 10 ms, then refused
    // by the namespace's rate limit: 8 in flight
    let clock = InstantClock()
    let limiter = CallLimiter(.init(ceiling: 1000, maxWidth: 64, initialWidth: 16), clock: clock)
    for _ in 0..<20 {
      let ticket = try await limiter.admit()
      try await clock.sleep(for: .milliseconds(10))
      await limiter.finish(ticket, .answered)
    }
    var tickets: [CallLimiter.Ticket] = []
    for _ in 0..<16 { tickets.append(try await limiter.admit()) }
    for ticket in tickets { await limiter.finish(ticket, .refused) }
    let refusedTo = await limiter.reading.width
    // When the answers then slow down to 500 ms each (a server under load)
    for _ in 0..<20 {
      let ticket = try await limiter.admit()
      try await clock.sleep(for: .milliseconds(500))
      await limiter.finish(ticket, .answered)
    }
    // Then the slow answers slowed it down further, never back up to where it started
    let reading = await limiter.reading
    #expect(refusedTo < 16)
    #expect(reading.slowdowns >= 2)
    #expect(reading.width <= refusedTo)
  }

  @Test func aCallTheRateLimitRefusesIsSentAgainSlowerUntilItIsAnswered() async throws {
    // Given a limiter of 100 calls a second, and a server that refuses the first 40 tries
    let clock = InstantClock()
    let limiter = CallLimiter(.init(ceiling: 100, maxWidth: 16), clock: clock)
    let tries = Mutex(0)
    // When one call is made
    let answer = try await limiter.run {
      let attempt = tries.withLock {
        $0 += 1
        return $0
      }
      if attempt <= 40 {
        throw TemporalError.rateLimited(call: "DescribeWorkflowExecution", message: "limit")
      }
      return "answered"
    }
    // Then it was answered on the 41st try, never failed, and the tries slowed to the slowest
    // pace (a call every 2 s) rather than 100 a second
    #expect(answer == "answered")
    #expect(tries.withLock { $0 } == 41)
    #expect(await limiter.reading.refused == 40)
    #expect(clock.slept > .seconds(40))
  }

  @Test func anErrorThatIsNotARefusalIsThrownAtOnce() async throws {
    // Given a limiter, and a call the server answers with NOT_FOUND
    let limiter = CallLimiter(.init(ceiling: 100, maxWidth: 16), clock: InstantClock())
    // When it is made
    await #expect(throws: TemporalError.workflowNotFound("gone")) {
      try await limiter.run { () async throws -> Int in throw TemporalError.workflowNotFound("gone")
      }
    }
    // Then nothing was counted refused and its place in flight is free again
    let reading = await limiter.reading
    #expect(reading.refused == 0)
    #expect(try await limiter.run { 1 } == 1)
  }
}
