extension RunbookRunner {
  /// What the runner needs from outside, passed in so the core stays free of I/O.
  public struct Dependencies: Sendable {
    public var newEventID: @Sendable () -> EventID
    /// Asked before every change with its argv; `false` declines.
    public var confirm: @Sendable ([String]) -> Bool
    /// One line for the record of what was done (printed always).
    public var report: @Sendable (String) -> Void
    /// One line of progress during a long wait (printed on a terminal only).
    public var progress: @Sendable (String) -> Void
    /// Called at each action boundary with the action id (crash tests kill the process here).
    public var boundary: @Sendable (Boundary, String) -> Void
    /// What every wait sleeps on: a real clock live, an instant one in tests.
    public var clock: any Clock<Duration>
    /// Decides Workflow Types the operator has not decided, when given (`run --policy`).
    public var policy: PolicyFile?
    /// Decides them from a Bool search attribute on their executions, when given
    /// (`run --restartable-attribute`).
    public var attribute: RestartableAttribute?
    /// Timings of the waits; tests shorten them.
    public var timing = Timing()
    /// The lease this run holds and keeps renewed while it works, when it holds one.
    public var lease: LeaseTerms?

    public init(
      newEventID: @escaping @Sendable () -> EventID,
      confirm: @escaping @Sendable ([String]) -> Bool = { _ in true },
      report: @escaping @Sendable (String) -> Void = { _ in },
      progress: @escaping @Sendable (String) -> Void = { _ in },
      boundary: @escaping @Sendable (Boundary, String) -> Void = { _, _ in },
      clock: any Clock<Duration> = ContinuousClock(), policy: PolicyFile? = nil,
      attribute: RestartableAttribute? = nil, timing: Timing = Timing(), lease: LeaseTerms? = nil
    ) {
      self.newEventID = newEventID
      self.confirm = confirm
      self.report = report
      self.progress = progress
      self.boundary = boundary
      self.clock = clock
      self.policy = policy
      self.attribute = attribute
      self.timing = timing
      self.lease = lease
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
