/// The runbook's steps, each a subcommand and a part of `salvage run`. Raw values are frozen.
public enum RunbookStep: String, Codable, Sendable, CaseIterable {
  case stop
  case identify
  case decide
  case recover
  case drain
  case resetClosed = "reset-closed"
  case cleanUp = "clean-up"
  /// After the runbook: remove the Versioning Overrides recovery left (`salvage unpin`), once the
  /// operator says the build they pin to may be retired. Not part of `salvage run`.
  case unpin
}

/// How safe an action is to run again (docs/design.md §6). Raw values are frozen.
public enum SafetyClass: String, Codable, Sendable {
  /// Describe, count, list: recorded as observations.
  case readOnly = "read-only"
  /// Stopping the rollout, overriding or resetting Running executions pinned to the bad build:
  /// the query stops matching once an execution has moved, so running it again is safe.
  case repeatable
  /// Resetting closed executions: running it again resets the same runs again.
  case runOnce = "run-once"
}
