import Foundation

/// The closed statuses whose runs a Workflow Type's clean-up resets, chosen to match the failure
/// mode: Failed and TimedOut by default; Completed (a run on a bad build may have produced a wrong
/// result), Terminated and Canceled when the operator adds them. ContinuedAsNew is never a target:
/// its work goes on in the run it continued as.
public enum ClosedStatuses {
  /// The runbook's closed query: what a type without a decision, or a decision without a choice, resets.
  public static let `default`: [ExecutionStatus] = [.failed, .timedOut]
  /// Every status an operator may choose, in the order they are listed.
  public static let choosable: [ExecutionStatus] = [
    .failed, .timedOut, .completed, .terminated, .canceled,
  ]

  /// Reads `Failed,TimedOut,Completed`: each a choosable closed status, none twice, at least one;
  /// sorted into ``choosable``'s order.
  public static func parse(_ text: String) throws(InputError) -> [ExecutionStatus] {
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return try checked([]) }
    return try checked(
      text.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      })
  }

  /// Checks a list of status names (from the command line or a policy file).
  public static func checked(_ names: [String]) throws(InputError) -> [ExecutionStatus] {
    var chosen: Set<ExecutionStatus> = []
    for name in names {
      guard let status = ExecutionStatus(rawValue: name) else {
        throw InputError("unknown closed status \(Quoted(name)): choose from \(list(choosable))")
      }
      guard choosable.contains(status) else {
        throw InputError(
          status == .continuedAsNew
            ? "ContinuedAsNew is never a target: its work goes on in the run it continued as"
            : "Running is not a closed status: choose from \(list(choosable))")
      }
      chosen.insert(status)
    }
    guard !chosen.isEmpty else {
      throw InputError("choose at least one closed status: \(list(choosable))")
    }
    return choosable.filter(chosen.contains)
  }

  /// `Failed, TimedOut`.
  public static func list(_ statuses: [ExecutionStatus]) -> String {
    statuses.map(\.rawValue).joined(separator: ", ")
  }
}

extension RunbookProgress {
  /// The closed statuses a Workflow Type's runs are reset in: its decision's, or the default.
  public func closedStatuses(for workflowType: String) -> [ExecutionStatus] {
    decisions[workflowType]?.closedStatuses ?? ClosedStatuses.default
  }

  /// Every status some type's closed runs are reset in: what the freeze lists before it filters by type.
  public var anyClosedStatuses: [ExecutionStatus] {
    let chosen = Set(decisions.values.flatMap { $0.closedStatuses ?? [] } + ClosedStatuses.default)
    return ClosedStatuses.choosable.filter(chosen.contains)
  }
}

extension RunbookProgress {
  /// What clean-up will do with a group's closed runs as the choices stand, so the operator sees
  /// what each choice would include: `nil` for Running executions.
  public func closedChoice(for group: AffectedGroup) -> String? {
    switch group.status {
    case .running: return nil
    case .continuedAsNew: return "never reset (its work goes on in the run it continued as)"
    default:
      let chosen = closedStatuses(for: group.workflowType)
      if chosen.contains(group.status) {
        return "reset after drainage (chosen: \(ClosedStatuses.list(chosen)))"
      }
      return "not reset (chosen: \(ClosedStatuses.list(chosen)); add \(group.status.rawValue) with "
        + "salvage decide --closed-statuses)"
    }
  }
}

extension RunbookProgress {
  /// Workflow Types identified with closed executions only and no decision: nothing needs one
  /// to recover, so their closed runs are reset in the default statuses until a decision names others.
  public var undecidedClosedOnlyTypes: [String] {
    let groups = identification?.groups ?? []
    let running = Set(identification?.runningTypes ?? [])
    return Set(groups.map(\.workflowType)).filter { !running.contains($0) && decisions[$0] == nil }
      .sorted()
  }
}
