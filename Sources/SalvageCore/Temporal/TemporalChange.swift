/// A call that changes Temporal, as a value: the runner records its exact command line before it
/// runs it (intent before effect), and a dry run prints the same command line.
public enum TemporalChange: Equatable, Sendable {
  case setCurrentVersion(WorkerDeploymentVersion)
  case setRampingVersion(WorkerDeploymentVersion, percentage: Double)
  case removeRamp(deployment: String)
  case updateOptions(query: VisibilityQuery, pinTo: WorkerDeploymentVersion)
  case resetWithMove(query: VisibilityQuery, target: ResetTarget, pinTo: WorkerDeploymentVersion)
  case deleteVersion(WorkerDeploymentVersion)
}

/// Changes as values, for the runner: one place that knows their command lines and runs them.
public protocol TemporalChanging: Sendable {
  /// The exact argv `perform` runs for `change`, secrets redacted.
  func command(for change: TemporalChange, context: ChangeContext) throws -> [String]
  /// Runs `change`; returns the batch job it launched, if any.
  func perform(_ change: TemporalChange, context: ChangeContext) throws -> BatchJobID?
}
