import Synchronization

/// A clock whose sleeps return at once, moving its own time on: waits take no time in tests.
public final class InstantClock: Clock, Sendable {
  public typealias Duration = Swift.Duration
  public typealias Instant = ContinuousClock.Instant

  private let started: Instant
  private let current: Mutex<Instant>

  public init() {
    started = ContinuousClock.now
    current = Mutex(started)
  }

  public var now: Instant { current.withLock { $0 } }
  public var minimumResolution: Duration { .zero }

  public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
    try Task.checkCancellation()
    current.withLock { if deadline > $0 { $0 = deadline } }
  }

  /// How long the clock has slept in all.
  public var slept: Duration { current.withLock { $0 - started } }
}
