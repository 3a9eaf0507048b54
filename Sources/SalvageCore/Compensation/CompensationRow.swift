/// One execution salvage acted on, for its owners' compensation tooling: the runbook warns that
/// "critical state may need out-of-band compensation".
public struct CompensationRow: Codable, Equatable, Sendable {
  /// What salvage did to the execution. Raw values are printed and exported: keep them.
  public enum Done: String, Codable, Sendable, CaseIterable {
    /// A recovery batch reset it with a move (to its first or last Workflow Task), terminating the run.
    case resetWithMove = "reset-with-move"
    /// A recovery batch moved it to another build by Versioning Override, in place.
    case override
    /// Salvage reset the closed run itself, after drainage.
    case reset
    /// Salvage terminated the run (when still Running) and started its workflow id again from
    /// the run's first event: a new run, with the original arguments.
    case restart
    /// Not salvage: someone else started its workflow id again (or reset it) while salvage was to
    /// restart or reset it, so salvage left it alone; the note says who and when, as the server
    /// recorded it, and the new run is theirs.
    case startedElsewhere = "started-elsewhere"

    /// What a recovery batch did to each of its executions under `strategy`: moved them by an
    /// override, or reset them with a move.
    public static func byBatch(under strategy: Strategy?) -> Done {
      strategy == .overrideToReplaySafe ? .override : .resetWithMove
    }
  }

  public let workflowID: String
  public let workflowType: String
  /// Its status when salvage recorded it: Running for recoveries, the closed status for resets;
  /// `nil` when the journal does not hold it.
  public let statusBefore: ExecutionStatus?
  public let done: Done
  public let oldRunID: String
  /// The run a reset made; `nil` when unknown (a batch reports counts, never per-run outcomes)
  /// and for an override, which keeps the run.
  public let newRunID: String?
  /// The server's batch job, for the work of a batch.
  public let batchJob: String?
  /// The action that did it (`recover-OrderWorkflow-1`, `reset-closed-0-1`).
  public let action: String
  /// When, in UTC: the batch's start as the server reports it, or the time the outcome was journaled.
  public let at: UTCTime
  /// Anything a reader must know about this row, or `nil`.
  public let note: String?
  /// The build salvage's pinned Versioning Override keeps this execution (or the run its reset or
  /// restart made) on, until someone removes it; `nil` for a run salvage left alone.
  public let pinnedTo: String?

  public init(
    workflowID: String, workflowType: String, statusBefore: ExecutionStatus?, done: Done,
    oldRunID: String,
    newRunID: String?, batchJob: String?, action: String, at: UTCTime, note: String? = nil,
    pinnedTo: String? = nil
  ) {
    self.workflowID = workflowID
    self.workflowType = workflowType
    self.statusBefore = statusBefore
    self.done = done
    self.oldRunID = oldRunID
    self.newRunID = newRunID
    self.batchJob = batchJob
    self.action = action
    self.at = at
    self.note = note
    self.pinnedTo = pinnedTo
  }

  /// Every key always present, an unknown value as `null`: compensation tooling reads stable columns.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(workflowID, forKey: .workflowID)
    try container.encode(workflowType, forKey: .workflowType)
    try container.encode(statusBefore, forKey: .statusBefore)
    try container.encode(done, forKey: .done)
    try container.encode(oldRunID, forKey: .oldRunID)
    try container.encode(newRunID, forKey: .newRunID)
    try container.encode(batchJob, forKey: .batchJob)
    try container.encode(action, forKey: .action)
    try container.encode(at, forKey: .at)
    try container.encode(note, forKey: .note)
    try container.encode(pinnedTo, forKey: .pinnedTo)
  }
}
