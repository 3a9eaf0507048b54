/// Who makes a change and why: every changing call carries both.
///
/// The identity (`salvage/<incident>/<action>`) reaches the server (batch `identity`,
/// `BatcherUser`), which is how an in-doubt action is found again after a crash.
public struct ChangeContext: Equatable, Sendable {
  public let identity: String
  public let reason: String

  public init(identity: String, reason: String) {
    self.identity = identity
    self.reason = reason
  }
}

/// Where a Reset-with-Move resets each execution to.
public enum ResetTarget: String, Sendable, CaseIterable {
  case firstWorkflowTask = "FirstWorkflowTask"
  case lastWorkflowTask = "LastWorkflowTask"
}

/// One group of a `GROUP BY` count.
public struct CountGroup: Equatable, Sendable {
  public let values: [String]
  public let count: Int
  public init(values: [String], count: Int) {
    self.values = values
    self.count = count
  }
}

/// The port to Temporal: one method per runbook need, returning domain types.
///
/// Calls are synchronous: the runbook is sequential by design (one batch at a time per namespace),
/// and each call has its own timeout in the implementation. Every changing call takes a
/// ``ChangeContext``. Failures are ``TemporalError``s with one-line messages.
public protocol TemporalClient: Sendable {
  /// Routing (Current, Ramping) and the versions of a deployment.
  func describeDeployment(_ name: String) throws -> DeploymentDescription
  /// Drainage and task queues of one version.
  func describeVersion(_ version: WorkerDeploymentVersion) throws -> VersionDescription
  /// Makes `version` the Current Version.
  func setCurrentVersion(_ version: WorkerDeploymentVersion, context: ChangeContext) throws
  /// Ramps `version` to `percentage` (0 keeps it the Ramping Version: it will not drain).
  func setRampingVersion(_ version: WorkerDeploymentVersion, percentage: Double, context: ChangeContext) throws
  /// Removes the Ramping Version of a deployment.
  func removeRamp(deployment: String, context: ChangeContext) throws
  /// How many executions match.
  func count(_ query: VisibilityQuery) throws -> Int
  /// Counts grouped by one attribute (`GROUP BY`).
  func count(_ query: VisibilityQuery, groupedBy attribute: SearchAttribute) throws -> [CountGroup]
  /// Streams every matching execution to `each`, without holding them all in memory.
  func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void) throws
  /// Versioning Override (pinned) on every match, as one batch job.
  func updateOptions(
    matching query: VisibilityQuery, pinTo version: WorkerDeploymentVersion, context: ChangeContext
  ) throws -> BatchJobID
  /// Reset-with-Move on every match, as one batch job; signals and Updates are not reapplied.
  func resetWithMove(
    matching query: VisibilityQuery, to target: ResetTarget, pinTo version: WorkerDeploymentVersion,
    context: ChangeContext
  ) throws -> BatchJobID
  /// One batch job's state and counts.
  func describeBatch(_ id: BatchJobID) throws -> BatchJob
  /// Batch jobs launched with `identity`, newest first.
  func findBatchJobs(identity: String) throws -> [BatchJobRecord]
  /// One execution's versioning and reset evidence (the latest run when `runID` is nil).
  func describeWorkflow(id: String, runID: String?) throws -> WorkflowDescription
  /// Describes several runs; adapters may describe them concurrently. In the order given.
  func describeWorkflows(_ runs: [(workflowID: String, runID: String)]) throws -> [WorkflowDescription]
  /// Workers polling the version's task queues as that version.
  func pollers(of version: WorkerDeploymentVersion) throws -> [Poller]
  /// Deletes a version (succeeds also when it does not exist).
  func deleteVersion(_ version: WorkerDeploymentVersion, context: ChangeContext) throws
}

extension TemporalClient {
  /// One run after the other.
  public func describeWorkflows(_ runs: [(workflowID: String, runID: String)]) throws -> [WorkflowDescription] {
    try runs.map { try describeWorkflow(id: $0.workflowID, runID: $0.runID) }
  }
}
