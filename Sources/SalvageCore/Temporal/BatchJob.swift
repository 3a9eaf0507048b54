/// A batch job's id, chosen by salvage: the action's identity, so a re-sent launch is refused as
/// a duplicate by the server and an interrupted one is found again by `DescribeBatchOperation`.
public struct BatchJobID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }
}

/// `DescribeBatchOperation`: a batch job's state and counts.
public struct BatchJob: Equatable, Sendable {
  /// Where a batch stands.
  public enum State: Equatable, Sendable {
    case running, completed, failed
    case other(String)

    public init(serverValue: String) {
      switch serverValue {
      case "BATCH_OPERATION_STATE_RUNNING": self = .running
      case "BATCH_OPERATION_STATE_COMPLETED": self = .completed
      case "BATCH_OPERATION_STATE_FAILED": self = .failed
      default: self = .other(serverValue)
      }
    }

    /// True once the batch no longer occupies the namespace's batch slot.
    public var isFinished: Bool { self == .completed || self == .failed }
  }

  public let id: BatchJobID
  public let state: State
  /// `BATCH_OPERATION_TYPE_RESET_WORKFLOW` and the like.
  public let operationType: String
  /// Zero counts are omitted by the server; they read as 0 here.
  public let totalCount: Int
  public let completeCount: Int
  public let failureCount: Int
  public let identity: String?
  public let reason: String?
  public let query: String?
  public let startTime: UTCTime?
  public let closeTime: UTCTime?

  public init(
    id: BatchJobID, state: State, operationType: String, totalCount: Int, completeCount: Int,
    failureCount: Int, identity: String?, reason: String?, query: String?, startTime: UTCTime?,
    closeTime: UTCTime?
  ) {
    self.id = id
    self.state = state
    self.operationType = operationType
    self.totalCount = totalCount
    self.completeCount = completeCount
    self.failureCount = failureCount
    self.identity = identity
    self.reason = reason
    self.query = query
    self.startTime = startTime
    self.closeTime = closeTime
  }
}
