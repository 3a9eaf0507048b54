/// What happened to one closed run of a frozen chunk: reset, left alone (and why), or refused.
public struct RunResetOutcome: Codable, Equatable, Sendable {
  /// Raw values are stored in the journal.
  public enum Result: String, Codable, Sendable {
    /// Reset by this action: ``RunResetOutcome/newRunID`` is the run the reset made.
    case reset
    /// Already reset when checked (``RunResetOutcome/newRunID`` is its `reset_run_id`): not reset again.
    case alreadyReset = "already-reset"
    /// The check just before the reset found it is no longer a target; ``RunResetOutcome/reason`` says why.
    /// When someone else started its workflow id again (or reset it), ``RunResetOutcome/newRunID``
    /// is the run they made.
    case leftAlone = "left-alone"
    /// The server refused the reset; ``RunResetOutcome/reason`` is its message.
    case failed
    /// Terminated (when still running) and started again by this action: ``RunResetOutcome/newRunID``
    /// is the run the start made.
    case restarted
    /// Already started again by salvage when checked (the workflow id's current run carries the
    /// start's request id): not started twice.
    case alreadyRestarted = "already-restarted"
  }

  public let workflowID: String
  public let runID: String
  public let result: Result
  /// The run salvage's reset or start made; for a run left alone because someone else started
  /// its workflow id again (or reset it), the run they made.
  public let newRunID: String?
  public let reason: String?

  public init(
    workflowID: String, runID: String, result: Result, newRunID: String? = nil,
    reason: String? = nil
  ) {
    self.workflowID = workflowID
    self.runID = runID
    self.result = result
    self.newRunID = newRunID
    self.reason = reason
  }

  /// Left alone because someone else started its workflow id again (or reset it) meanwhile.
  public var isStartedElsewhere: Bool { result == .leftAlone && newRunID != nil }

  /// The run it is about, as one key: its workflow id and run id.
  var runKey: String { workflowID + "\u{0}" + runID }
}

/// The outcomes of one chunk of closed runs, each checked against the server just before it was
/// touched (docs/design.md §6), journaled together. Old run → new run for every reset.
public struct ClosedRunsReset: EventPayload {
  public static let typeName = "ClosedRunsReset"
  public static let schemaVersion = 1

  /// The run-once action the chunk belongs to.
  public let action: String
  public let chunk: Int
  public let outcomes: [RunResetOutcome]

  public init(action: String, chunk: Int, outcomes: [RunResetOutcome]) {
    self.action = action
    self.chunk = chunk
    self.outcomes = outcomes
  }

  /// Whether any run of the chunk belongs to a type that restarts (its outcomes say restarted).
  var restartedAny: Bool {
    outcomes.contains { $0.result == .restarted || $0.result == .alreadyRestarted }
  }

  /// How many of the chunk's runs ended each way.
  public func count(_ result: RunResetOutcome.Result) -> Int {
    outcomes.lazy.filter { $0.result == result }.count
  }
}
