/// A recovery strategy for the Running executions of one Workflow Type (the runbook's table).
public enum Strategy: String, Codable, Sendable, CaseIterable {
  /// Running, restartable: Reset-with-Move to `FirstWorkflowTask` on the previous good build.
  case resetToGoodBuild = "reset-first-task-to-good-build"
  /// Running, not restartable, state intact: Versioning Override to a replay-safe build.
  case overrideToReplaySafe = "override-to-replay-safe-build"
  /// Running, not restartable, recently corrupted state: Reset-with-Move to `LastWorkflowTask` on a
  /// replay-safe build.
  case resetLastTaskToReplaySafe = "reset-last-task-to-replay-safe-build"
  /// Stateless, or a simple replacement is acceptable: terminate each Running execution (by run id)
  /// and start it again from its first event's arguments, pinned to the target build. Closed runs
  /// are started again the same way after drainage.
  case terminateAndRestart = "terminate-and-restart"

  /// The runbook's table. A restartable type restarts from its first task on the good build,
  /// whatever its state: a restart discards the corrupted state too.
  public static func choose(restartable: Bool, corrupted: Bool) -> Strategy {
    if restartable { return .resetToGoodBuild }
    return corrupted ? .resetLastTaskToReplaySafe : .overrideToReplaySafe
  }

  /// Whether the strategy needs a replay-safe build (which must exist and have pollers first).
  public var needsReplaySafeBuild: Bool {
    self != .resetToGoodBuild && self != .terminateAndRestart
  }

  /// Whether executions are terminated and started again rather than reset or overridden.
  public var restarts: Bool { self == .terminateAndRestart }

  /// Where a reset sends executions; `nil` for an override.
  public var resetTarget: ResetTarget? {
    switch self {
    case .resetToGoodBuild: .firstWorkflowTask
    case .resetLastTaskToReplaySafe: .lastWorkflowTask
    case .overrideToReplaySafe, .terminateAndRestart: nil
    }
  }
}

/// Who decided a Workflow Type's strategy. Raw values are frozen.
public enum DecisionSource: String, Codable, Sendable, CaseIterable {
  /// An operator ran `salvage decide`.
  case operatorDecision = "operator"
  /// A policy file checked into the service's repository.
  case policyFile = "policy-file"
  /// A custom search attribute on the executions.
  case searchAttribute = "search-attribute"
}
