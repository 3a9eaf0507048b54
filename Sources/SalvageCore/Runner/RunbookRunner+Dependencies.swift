extension RunbookRunner {
  /// What the runner needs from outside, passed in so the core stays free of I/O.
  public struct Dependencies: Sendable {
    public var newEventID: @Sendable () -> EventID
    /// Asked before every change with its argv; `false` declines.
    public var confirm: @Sendable ([String]) -> Bool
    /// Told what the operator must know that no recorded event says (the CLI words it).
    public var notice: @Sendable (Notice) -> Void
    /// Told the counts of a long wait while it lasts (the CLI shows them on a terminal).
    public var progress: @Sendable (Progress) -> Void
    /// Called at each action boundary with the action id (crash tests kill the process here).
    public var boundary: @Sendable (Boundary, String) -> Void
    /// What every wait sleeps on: a real clock live, an instant one in tests.
    public var clock: any Clock<Duration>
    /// Now, in UTC: what a poller's last poll is read against. The machine's clock live; tests
    /// pass the in-process cluster's.
    public var now: @Sendable () -> UTCTime
    /// Decides Workflow Types the operator has not decided, when given (`run --policy`).
    public var policy: PolicyFile?
    /// Decides them from a Bool search attribute on their executions, when given
    /// (`run --restartable-attribute`).
    public var attribute: RestartableAttribute?
    /// Timings of the waits; tests shorten them.
    public var timing = Timing()
    /// The lease this run holds and keeps renewed while it works, when it holds one.
    public var lease: LeaseTerms?
    /// Whether the operator lets salvage take the manager identity of a deployment a controller
    /// manages (`run --claim-manager`, or a yes to the question on a terminal).
    public var claimManager = false

    public init(
      newEventID: @escaping @Sendable () -> EventID,
      confirm: @escaping @Sendable ([String]) -> Bool = { _ in true },
      notice: @escaping @Sendable (Notice) -> Void = { _ in },
      progress: @escaping @Sendable (Progress) -> Void = { _ in },
      boundary: @escaping @Sendable (Boundary, String) -> Void = { _, _ in },
      clock: any Clock<Duration> = ContinuousClock(),
      now: @escaping @Sendable () -> UTCTime = UTCTime.wallClock, policy: PolicyFile? = nil,
      attribute: RestartableAttribute? = nil, timing: Timing = Timing(), lease: LeaseTerms? = nil,
      claimManager: Bool = false
    ) {
      self.newEventID = newEventID
      self.confirm = confirm
      self.notice = notice
      self.progress = progress
      self.boundary = boundary
      self.clock = clock
      self.now = now
      self.policy = policy
      self.attribute = attribute
      self.timing = timing
      self.lease = lease
      self.claimManager = claimManager
    }
  }

  /// A decision policy and the name of the file it was read from (recorded with each decision).
  public struct PolicyFile: Sendable {
    public let policy: DecisionPolicy
    public let file: String

    public init(_ policy: DecisionPolicy, file: String) {
      self.policy = policy
      self.file = file
    }
  }

  /// The Bool search attribute that says whether a type's executions may restart, and the
  /// replay-safe build for the types whose executions say they may not.
  public struct RestartableAttribute: Sendable {
    public let attribute: SearchAttribute
    public let replaySafeBuild: String?

    public init(_ attribute: SearchAttribute, replaySafeBuild: String?) {
      self.attribute = attribute
      self.replaySafeBuild = replaySafeBuild
    }
  }
}
