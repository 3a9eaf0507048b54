/// Who reset a run, as the server recorded it in the run the reset made: the reset's failed
/// Workflow Task (cause `RESET_WORKFLOW`) carries the reset's reason as the failure's message and
/// has the time it happened. Its identity is the server's own (`history-service`, server 1.32),
/// not the requester's, so the reason is what says who asked: salvage's name the incident and the
/// action (``ChangeContext/reason``), a person's are their own words.
public struct ResetOrigin: Equatable, Sendable {
  /// The requester's identity, when the server records one other than its own.
  public let identity: String?
  public let reason: String?
  public let at: UTCTime?

  public init(identity: String?, reason: String?, at: UTCTime?) {
    self.identity = identity
    self.reason = reason
    self.at = at
  }

  /// `by alice@host at 2026-12-06T10:00:00Z (by hand)`, as much of it as the server recorded.
  public var described: String {
    [
      identity.map { "by \($0)" }, at.map { "at \($0)" },
      reason.map { "(\(oneLine($0)))" },
    ].compactMap { $0 }.joined(separator: " ")
  }
}

extension TemporalClient {
  /// The run made by a reset doesn't say who reset it here: in-process stand-ins answer nothing.
  public func resetOrigin(workflowID: String, newRunID: String) async throws -> ResetOrigin? {
    nil
  }
}
