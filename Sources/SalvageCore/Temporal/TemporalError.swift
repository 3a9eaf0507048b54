/// Why a call to Temporal failed, with a one-line message an operator can act on.
public enum TemporalError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `temporal` is not on PATH (or not executable).
  case executableNotFound(String)
  /// The server cannot be reached at the configured address.
  case unreachable(String)
  /// No such Worker Deployment.
  case deploymentNotFound(String)
  /// No such Worker Deployment Version.
  case versionNotFound(String)
  /// The server refused the visibility query.
  case invalidQuery(String)
  /// Another batch occupies the namespace's batch slot; wait and retry.
  case batchLimitReached
  /// No batch job with that id.
  case batchNotFound(String)
  /// The version still has pollers, so it cannot be deleted.
  case versionHasPollers(String)
  /// The call took longer than its timeout and was killed.
  case timedOut(command: String, seconds: Double)
  /// Any other non-zero exit.
  case commandFailed(command: String, status: Int32, message: String)
  /// The output could not be read as the expected JSON.
  case unreadableOutput(command: String, reason: String)

  public var description: String {
    switch self {
    case .executableNotFound(let name):
      "'\(name)' was not found on PATH: install the Temporal CLI (tools/setup installs a pinned one)"
    case .unreachable(let message): "Temporal server unreachable: \(message)"
    case .deploymentNotFound(let message): "Worker Deployment not found: \(message)"
    case .versionNotFound(let message): "Worker Deployment Version not found: \(message)"
    case .invalidQuery(let message): "invalid visibility query: \(message)"
    case .batchLimitReached:
      "another batch operation is running in this namespace (Max concurrent batch operations is reached)"
    case .batchNotFound(let message): "batch job not found: \(message)"
    case .versionHasPollers(let message): "version still has pollers: \(message)"
    case .timedOut(let command, let seconds):
      "'\(command)' did not finish within \(Self.seconds(seconds)) and was killed"
    case .commandFailed(let command, let status, let message):
      "'\(command)' exited \(status): \(message)"
    case .unreadableOutput(let command, let reason): "unreadable output of '\(command)': \(reason)"
    }
  }

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
  }
}
