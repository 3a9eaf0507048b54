/// A run's first history event (`WorkflowExecutionStarted`), as a restart needs it: what to start
/// again, what refuses a restart, and a digest that pins the arguments frozen before any
/// termination to the ones the start sends.
public struct FirstEvent: Equatable, Sendable {
  public let workflowID: String
  public let runID: String
  public let workflowType: String
  public let taskQueue: String
  /// SHA-256 (lowercase hex) of the event in the API's deterministic binary encoding.
  public let digest: String
  /// The parent execution (`workflowID/runID`) of a child run.
  public let parent: String?
  /// How many completion callbacks the run carries: a Nexus operation's caller waits on them.
  public let callbacks: Int
  /// The event as the adapter read it, opaque to the core: the start request is built from it.
  public let encoded: [UInt8]
  /// Who started the run (the starting client's identity) and when, as the server recorded it.
  /// A run a reset made copies its first event, so these are the original start's.
  public let startedBy: String?
  public let startedAt: UTCTime?
  /// For a run that continues another of its workflow id (continue-as-new, a retry, a cron
  /// run), that run, and what made it: `continue-as-new`, `retry` or `cron`.
  public let continuedFrom: String?
  public let continuedBy: String?

  public init(
    workflowID: String, runID: String, workflowType: String, taskQueue: String, digest: String,
    parent: String?, callbacks: Int, encoded: [UInt8], startedBy: String? = nil,
    startedAt: UTCTime? = nil, continuedFrom: String? = nil, continuedBy: String? = nil
  ) {
    self.startedBy = startedBy
    self.startedAt = startedAt
    self.continuedFrom = continuedFrom
    self.continuedBy = continuedBy
    self.workflowID = workflowID
    self.runID = runID
    self.workflowType = workflowType
    self.taskQueue = taskQueue
    self.digest = digest
    self.parent = parent
    self.callbacks = callbacks
    self.encoded = encoded
  }

  /// Why the run must not be restarted, or `nil`: a restart would cut a child off from its parent
  /// and a Nexus-started run off from its caller (the new run has neither link).
  public var refusal: String? {
    if let parent {
      return "it is a child of \(parent): a restart would cut it off from its parent"
    }
    if callbacks > 0 {
      return
        "it was started by a Nexus operation (\(callbacks) completion callbacks): a restart would "
        + "cut it off from its caller"
    }
    return nil
  }
}

/// Which earlier run of the workflow id a restart's start may follow (`workflow_id_reuse_policy`).
public enum IDReusePolicy: String, Sendable, CaseIterable {
  /// Only after a run that failed, timed out, was terminated or canceled: a restart's own
  /// termination qualifies, a completed run does not.
  case allowDuplicateFailedOnly = "AllowDuplicateFailedOnly"
  /// After any closed run: only for Completed targets the operator chose.
  case allowDuplicate = "AllowDuplicate"

  /// The policy for restarting a run that ended in `status`.
  public static func restarting(_ status: ExecutionStatus) -> IDReusePolicy {
    status == .completed ? .allowDuplicate : .allowDuplicateFailedOnly
  }
}
