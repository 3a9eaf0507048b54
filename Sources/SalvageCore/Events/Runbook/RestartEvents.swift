/// The Running executions of one Workflow Type frozen to be terminated and restarted, before any is
/// terminated: each run with the digest of its first event (the set this event names), and the runs
/// refused by name (children and Nexus-started runs), which are never terminated.
public struct RestartTargetsFrozen: EventPayload {
  public static let typeName = "RestartTargetsFrozen"
  public static let schemaVersion = 1

  public let workflowType: String
  /// How many runs the set holds.
  public let count: Int
  /// Runs refused a restart, each `left-alone` with the reason.
  public let refused: [RunResetOutcome]
  public let digest: String

  public init(workflowType: String, count: Int, refused: [RunResetOutcome], digest: String) {
    self.workflowType = workflowType
    self.count = count
    self.refused = refused
    self.digest = digest
  }
}

/// What a restart round did to each frozen run of its type: terminated and started again (old run →
/// new run), found already restarted, left alone (and why), or refused by the server.
public struct RunsRestarted: EventPayload {
  public static let typeName = "RunsRestarted"
  public static let schemaVersion = 1

  /// The run-once recovery action of the round.
  public let action: String
  public let workflowType: String
  public let outcomes: [RunResetOutcome]
  /// When the round acted, on the server's clock: the close time of a run it terminated (the
  /// drained gate compares the server's drainage check with it, as with a batch's start). `nil`
  /// when the round started nothing again.
  public let startedAt: UTCTime?

  public init(
    action: String, workflowType: String, outcomes: [RunResetOutcome], startedAt: UTCTime? = nil
  ) {
    self.action = action
    self.workflowType = workflowType
    self.outcomes = outcomes
    self.startedAt = startedAt
  }

  /// How many of the round's runs ended each way.
  public func count(_ result: RunResetOutcome.Result) -> Int {
    outcomes.lazy.filter { $0.result == result }.count
  }

  /// The runs left alone because someone else started their workflow id again (or reset it).
  public var startedElsewhere: [RunResetOutcome] { outcomes.filter(\.isStartedElsewhere) }
}
