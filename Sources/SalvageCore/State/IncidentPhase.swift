/// Where an incident stands in the runbook. Each phase is entered only on recorded evidence.
///
/// The raw values are stored in checkpoints and printed in JSON output: they are frozen.
public enum IncidentPhase: String, Codable, Sendable, CaseIterable, Comparable {
  /// Opened; the rollout has not been stopped yet.
  case opened
  /// The bad build is neither Current nor Ramping, confirmed by a re-describe.
  case stopped
  /// Affected executions were counted and listed per Workflow Type and status.
  case identified
  /// Every Workflow Type has a strategy and recovery of Running executions was issued.
  case recovering
  /// The bad version reports drained and nothing Running is pinned to it.
  case drained
  /// Closed executions were reset once and the drained version was deleted.
  case cleaned
  /// The incident was closed by an operator.
  case closed

  public static func < (lhs: IncidentPhase, rhs: IncidentPhase) -> Bool {
    let order = allCases
    return order.firstIndex(of: lhs) ?? 0 < order.firstIndex(of: rhs) ?? 0
  }
}
