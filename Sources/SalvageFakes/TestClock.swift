public import SalvageCore
import Synchronization

/// A clock for tests: starts at a fixed instant and moves a fixed step on every reading.
public final class SteppingClock: Sendable {
  private let current: Mutex<Int64>
  private let step: Int64

  /// Starts at `start` and advances `stepMilliseconds` after each reading.
  public init(
    start: UTCTime = UTCTime(millisecondsSinceEpoch: 1_795_000_000_000),
    stepMilliseconds: Int64 = 1000
  ) {
    current = Mutex(start.millisecondsSinceEpoch)
    step = stepMilliseconds
  }

  /// Reads the time, then advances it.
  @Sendable public func now() -> UTCTime {
    current.withLock { value in
      defer { value += step }
      return UTCTime(millisecondsSinceEpoch: value)
    }
  }
}

/// A deterministic random number generator (SplitMix64) for reproducible ids.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates a generator from a seed.
  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Makes events with reproducible ids for tests.
public struct EventFactory: Sendable {
  private var generator: SeededGenerator
  private let clock: SteppingClock

  /// Creates a factory with its own seed.
  public init(seed: UInt64 = 42, clock: SteppingClock = SteppingClock()) {
    generator = SeededGenerator(seed: seed)
    self.clock = clock
  }

  /// A pending event with a fresh id.
  public mutating func pending(_ event: IncidentEvent) -> PendingEvent {
    PendingEvent(id: EventID.make(at: clock.now(), using: &generator), event: event)
  }

  /// The `IncidentOpened` most tests start from.
  public static let opened = IncidentEvent.opened(
    IncidentOpened(
      deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default",
      title: "Bad rollout of orders", operatorName: "alice"))
}
