/// The one pace of salvage's own per-run calls (checks, closed resets, terminates, starts, the
/// freeze's reads): how many may be in flight at once and how many may start a second.
///
/// The number in flight adapts, as a TCP sender's window does: it grows by one for each
/// window's worth of answers while the server answers quickly, and halves (once per window) when
/// the server refuses a call with RESOURCE_EXHAUSTED or its answers slow down to several times
/// the quickest seen. A refusal also halves the start rate, which then grows back by about a
/// tenth a second towards the ceiling (`--rps`). A refused call is sent again at the slower pace:
/// the namespace's rate limit slows salvage down and never fails a step, unless it refuses every
/// read (or every change) for ``Settings/patience``: then each refused one is given up as
/// ``TemporalError/refusedTooLong(call:seconds:message:)`` and the run says to run again later.
public actor CallLimiter {
  /// What the limiter is allowed and how it starts.
  public struct Settings: Equatable, Sendable {
    /// Calls a second, at most (`--rps`).
    public var ceiling: Double
    /// Calls in flight, at most.
    public var maxWidth: Int
    /// Calls in flight at the start.
    public var initialWidth: Int
    /// How long the namespace may refuse every read (or every change) before salvage gives up
    /// the refused ones: a quarter of an hour, past any burst, so a namespace that stays full
    /// ends the run with a message rather than keeping it going forever.
    public var patience: Duration

    public init(
      ceiling: Double, maxWidth: Int, initialWidth: Int = 16, patience: Duration = .seconds(900)
    ) {
      self.ceiling = ceiling > 0 && ceiling.isFinite ? ceiling : 1
      self.maxWidth = max(1, maxWidth)
      self.initialWidth = min(max(1, initialWidth), self.maxWidth)
      self.patience = max(patience, .zero)
    }
  }

  /// What a call is, for the patience: a read is sent again by the limiter, a change by its run's
  /// own loop; each kind's refusals are counted apart (the describes of a run whose resets are
  /// refused still answer).
  public enum Kind: Sendable {
    case read, change
  }

  /// How a call ended, as the limiter learns from it.
  public enum Outcome: Sendable {
    /// The server answered (with a result or an error of its own): its latency counts.
    case answered
    /// The namespace's rate limit refused it before it acted.
    case refused
    /// It never reached an answer (no connection, cancelled): it only frees its place.
    case unanswered
  }

  /// A call let through: when it started and where it stands in the order of starts.
  public struct Ticket: Sendable {
    let sequence: Int
    let startedAt: Duration
    let cost: Int
    let kind: Kind
  }

  /// What the limiter has learned so far.
  public struct Reading: Equatable, Sendable {
    public var width: Int
    public var callsPerSecond: Double
    public var refused: Int
    public var slowdowns: Int
    /// Calls waiting for a place in flight.
    public var waiting: Int
  }

  /// Whether the call running now goes through a limiter, which sends a refused read again
  /// itself: an adapter then hands the refusal back at once instead of retrying it, so the
  /// limiter learns of it and slows down (one owner of the rule).
  @TaskLocal public static var sendsRefusalsAgain = false

  public let settings: Settings
  private let elapsed: @Sendable () -> Duration
  private let sleepUntil: @Sendable (Duration) async throws -> Void

  private var width: Double
  private var rate: Double
  private var inFlight = 0
  private var waiting: [CheckedContinuation<Void, Never>] = []
  private var nextStart: Duration = .zero
  private var issued = 0
  /// Calls issued before this one do not shrink the window again: one decrease per window.
  private var fence = 0
  private var latency = LatencyWatch()
  private var recentStarts = RecentStarts()
  private var refused = 0
  private var slowdowns = 0
  /// Since when every call of a kind has been refused (none answered since), and when the last
  /// was: a refusal long after the last one (nothing of its kind sent meanwhile) starts anew.
  private var refusedSince: [Kind: Duration] = [:]
  private var lastRefused: [Kind: Duration] = [:]

  public init(_ settings: Settings, clock: some Clock<Duration>) {
    self.settings = settings
    width = Double(settings.initialWidth)
    rate = settings.ceiling
    let origin = clock.now
    elapsed = { origin.duration(to: clock.now) }
    sleepUntil = { try await clock.sleep(until: origin.advanced(by: $0), tolerance: nil) }
  }

  /// Runs `call` when the limiter lets it through, and again (later, slower) for as long as the
  /// namespace's rate limit refuses it; or, for a change (which its caller checks again before
  /// it is sent again), throws the refusal once the limiter has slowed down. Past the patience,
  /// a refusal is thrown as ``TemporalError/refusedTooLong(call:seconds:message:)``. `cost`
  /// counts the server calls `call` makes. A refused read is sent again only once `stillHeld`
  /// (the run's hold on the incident, asked of the journal) does not throw: a run taken over
  /// meanwhile stops there instead of spending the namespace's room the new driver needs.
  public nonisolated func run<Result: Sendable>(
    cost: Int = 1, kind: Kind = .read, stillHeld: @Sendable () throws -> Void = {},
    _ call: @Sendable () async throws -> Result
  ) async throws -> Result {
    while true {
      let ticket = try await admit(cost: cost, kind: kind)
      do {
        let result = try await Self.$sendsRefusalsAgain.withValue(true) { try await call() }
        await finish(ticket, .answered)
        return result
      } catch let error as TemporalError where error.isRateLimited {
        await finish(ticket, .refused)
        if let given = await givenUp(error, kind: kind) { throw given }
        if kind == .change { throw error }
        try stillHeld()
      } catch let error as TemporalError where !error.isUnreachable {
        await finish(ticket, .answered)
        throw error
      } catch {
        await finish(ticket, .unanswered)
        throw error
      }
    }
  }

  /// Waits for a place in flight and the call's start time.
  public func admit(cost: Int = 1, kind: Kind = .read) async throws -> Ticket {
    if inFlight < allowed, waiting.isEmpty {
      inFlight += 1
    } else {
      // A place is handed over (counted in flight) before the waiter resumes.
      await withCheckedContinuation { waiting.append($0) }
    }
    // A waiter cancelled meanwhile takes no start time from the others.
    try checkCancelled()
    let now = elapsed()
    let start = max(now, nextStart)
    nextStart = start + .seconds(Double(max(cost, 1)) / rate)
    if start > now {
      do {
        try await sleepUntil(start)
      } catch {
        inFlight -= 1
        handOver()
        throw error
      }
    }
    try checkCancelled()
    issued += 1
    let startedAt = elapsed()
    recentStarts.add(startedAt)
    return Ticket(sequence: issued, startedAt: startedAt, cost: cost, kind: kind)
  }

  /// The refusal as given up, once every call of its kind has been refused for the patience.
  func givenUp(_ refusal: TemporalError, kind: Kind) -> TemporalError? {
    guard case .rateLimited(let call, let message) = refusal,
      let since = refusedSince[kind], elapsed() - since >= settings.patience
    else { return nil }
    let seconds = (elapsed() - since).components.seconds
    return .refusedTooLong(call: call, seconds: Int(seconds), message: message)
  }

  /// Frees the call's place and learns from how it ended.
  public func finish(_ ticket: Ticket, _ outcome: Outcome) {
    inFlight -= 1
    switch outcome {
    case .answered:
      refusedSince[ticket.kind] = nil
      let now = elapsed()
      latency.add((now - ticket.startedAt) / max(ticket.cost, 1))
      if latency.isRising, ticket.sequence > fence {
        shrink(refusal: false, now: now)
      } else {
        width = min(Double(settings.maxWidth), width + 1 / max(width, 1))
        rate = min(settings.ceiling, rate * (1 + 0.1 / max(rate, 1)))
      }
    case .refused:
      refused += 1
      let kind = ticket.kind
      if refusedSince[kind] == nil || ticket.startedAt - (lastRefused[kind] ?? .zero) > Self.lull {
        refusedSince[kind] = ticket.startedAt
      }
      lastRefused[kind] = ticket.startedAt
      if ticket.sequence > fence { shrink(refusal: true, now: elapsed()) }
    case .unanswered:
      break
    }
    handOver()
  }

  /// What the limiter has learned so far.
  public var reading: Reading {
    Reading(
      width: allowed, callsPerSecond: rate, refused: refused, slowdowns: slowdowns,
      waiting: waiting.count)
  }

  private var allowed: Int { max(1, Int(width)) }

  private func shrink(refusal: Bool, now: Duration) {
    slowdowns += 1
    fence = issued
    // Slow answers alone never take it below where it started (nor raise it, after a refusal
    // took it lower); a refusal may, to one at a time.
    width = max(refusal ? 1 : min(width, Double(settings.initialWidth)), width / 2)
    latency.restart()
    guard refusal else { return }
    let achieved = Double(recentStarts.count(since: now - .seconds(1)))
    rate = max(Self.slowest, min(rate, max(achieved, Self.slowest)) / 2)
  }

  /// A refusal this long after the last of its kind starts a new streak: at the slowest pace a
  /// refused call is sent again every two seconds, so a longer gap means nothing was sent.
  static let lull = Duration.seconds(60)

  /// The slowest pace a refusal brings salvage down to: a call every two seconds.
  static let slowest = 0.5

  private func handOver() {
    while inFlight < allowed, !waiting.isEmpty {
      inFlight += 1
      waiting.removeFirst().resume()
    }
  }

  private func checkCancelled() throws {
    if Task.isCancelled {
      inFlight -= 1
      handOver()
      throw CancellationError()
    }
  }
}

/// The server's answer times, smoothed, against the quickest smoothed time seen: rising when the
/// smoothed time is four times the quickest and at least 50 ms more (so a call of a few
/// milliseconds that takes a few more does not count).
struct LatencyWatch {
  private var smoothed: Double?
  private var quickest: Double?
  private var samples = 0

  mutating func add(_ latency: Duration) {
    let seconds =
      Double(latency.components.seconds) + Double(latency.components.attoseconds) * 1e-18
    let next = smoothed.map { $0 + (seconds - $0) * 0.1 } ?? seconds
    smoothed = next
    samples += 1
    if samples >= 10 { quickest = min(quickest ?? next, next) }
  }

  var isRising: Bool {
    guard let smoothed, let quickest else { return false }
    return smoothed > quickest * 4 && smoothed - quickest > 0.05
  }

  /// After a decrease the smoothed time starts again from the next answers (the quickest stays).
  mutating func restart() {
    smoothed = nil
    samples = quickest == nil ? 0 : 10
  }
}

/// Start times of the last second, to tell the pace salvage actually reached.
struct RecentStarts {
  private var times: [Duration] = []
  private var head = 0

  mutating func add(_ time: Duration) {
    times.append(time)
    _ = count(since: time - .seconds(1))
    if head > 4096 {
      times.removeFirst(head)
      head = 0
    }
  }

  mutating func count(since: Duration) -> Int {
    while head < times.count, times[head] < since { head += 1 }
    return times.count - head
  }
}
