import SalvageCore

/// Turns a failed `temporal` call into a typed ``TemporalError`` from its stderr.
///
/// The phrases are the real CLI's and server's (captured in the test fixtures); anything else
/// stays a ``TemporalError/commandFailed(command:status:message:)`` with the first stderr line.
enum TemporalErrorClassifier {
  static func classify(_ output: CommandOutput, command: String) -> TemporalError {
    let line = output.firstErrorLine
    let lower = line.lowercased()
    if lower.contains("max concurrent batch operations is reached") { return .batchLimitReached }
    if lower.contains("could not find batch job") { return .batchNotFound(line) }
    if lower.contains("worker deployment version not found")
      || (lower.contains("build id") && lower.contains("not found in worker deployment"))
    {
      return .versionNotFound(line)
    }
    if lower.contains("no worker deployment found") { return .deploymentNotFound(line) }
    if lower.contains("cannot be deleted since it has active pollers") {
      return .versionHasPollers(line)
    }
    if lower.contains("invalid query") || lower.contains("malformed sql")
      || lower.contains("invalid search attribute")
    {
      return .invalidQuery(line)
    }
    if lower.contains("failed connecting to temporal server") || lower.contains("connection refused")
      || lower.contains("context deadline exceeded while waiting for connections")
    {
      return .unreachable(line)
    }
    return .commandFailed(command: command, status: output.status, message: line)
  }
}
