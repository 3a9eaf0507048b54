/// Who makes a change and why: every changing call carries both.
///
/// The identity (`salvage/<incident>/<action>`) reaches the server as the request's `identity`,
/// so the server's own records name the action that made each change.
public struct ChangeContext: Equatable, Sendable {
  public let identity: String
  public let reason: String
  /// The identity salvage manages the deployment as (its `manager_identity`) while it holds it:
  /// a change to the deployment is sent as that identity, the only one the server then accepts.
  public let manager: String?
  /// How the Versioning Overrides this change sets are made (a recovery's, a reset's, a start's):
  /// as the decision of the type it acts for says.
  public let overrides: OverrideKind

  public init(
    identity: String, reason: String, manager: String? = nil, overrides: OverrideKind = .pinned
  ) {
    self.identity = identity
    self.reason = reason
    self.manager = manager
    self.overrides = overrides
  }

  /// The same context, its overrides made as `kind`.
  public func overriding(_ kind: OverrideKind) -> ChangeContext {
    ChangeContext(identity: identity, reason: reason, manager: manager, overrides: kind)
  }

  /// The identity a change to the deployment itself (routing, a version's delete) is sent as.
  public var deploymentIdentity: String { manager ?? identity }
}

/// How salvage sets a Versioning Override. Raw values are stored in the journal.
public enum OverrideKind: String, Codable, Sendable {
  /// Pinned to the target until someone removes it; children, retries, continued and cron runs
  /// inherit it.
  case pinned
  /// `one_time` (servers 1.32+): Workflow Tasks go to the target until one completes there, then
  /// the server clears the override and the worker's own behavior decides. Children inherit it;
  /// continued, retried and cron runs do not.
  case oneTime = "one-time"

  /// The oldest server release that accepts one-time overrides.
  public static let oneTimeSince = "1.32.0"
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

/// What a namespace says about itself that the runbook needs.
public struct NamespaceDescription: Equatable, Sendable {
  public let name: String
  /// How long closed executions (batch jobs among them) are kept: a batch job id that the server
  /// does not know means "never started" only for a job younger than this.
  public let retentionSeconds: Double

  public init(name: String, retentionSeconds: Double) {
    self.name = name
    self.retentionSeconds = retentionSeconds
  }
}

/// What a change did on the server.
public enum ChangeResult: Equatable, Sendable {
  /// The server accepted it; nothing more to follow.
  case done
  /// A batch job started (or, re-sent under its job id, was found already there).
  case batch(BatchJobID, alreadyStarted: Bool)
  /// A run was reset: the new run's id.
  case reset(newRunID: String)
  /// A workflow id was started again: the new run's id.
  case started(newRunID: String)
  /// A routing change (stop, ramp) was accepted and waited for: the deployment as the describe
  /// that saw its update reach every task queue shows it (or the last one, when the wait ran out).
  /// The runner records it as the observation after the change, so no second describe follows.
  case routed(DeploymentDescription)
}

/// A change as it is recorded before it is sent: the request (in the API's JSON form) and the
/// `temporal` command a human would type for the same effect, both with secrets redacted.
public struct ChangeIntent: Equatable, Sendable {
  public let command: [String]
  public let request: String

  public init(command: [String], request: String) {
    self.command = command
    self.request = request
  }
}

/// The port to Temporal: its reads, and one ``perform(_:context:)`` for every change.
///
/// Async, because the live adapter speaks gRPC. Each call has its own deadline in the adapter.
/// Failures are ``TemporalError``s with one-line messages, scrubbed of every secret.
public protocol TemporalClient: Sendable {
  /// Routing (Current, Ramping) and the versions of a deployment.
  func describeDeployment(_ name: String) async throws -> DeploymentDescription
  /// Drainage and task queues of one version.
  func describeVersion(_ version: WorkerDeploymentVersion) async throws -> VersionDescription
  /// The namespace's retention.
  func describeNamespace() async throws -> NamespaceDescription
  /// The server's release (`GetSystemInfo.server_version`).
  func serverVersion() async throws -> String
  /// How many executions match.
  func count(_ query: VisibilityQuery) async throws -> Int
  /// Streams every matching execution to `each`, page by page, without holding them all.
  func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void)
    async throws
  /// One batch job's state and counts; ``TemporalError/batchNotFound(_:)`` when the server has none.
  func describeBatch(_ id: BatchJobID) async throws -> BatchJob
  /// One execution's versioning and reset evidence (the workflow id's current run when `runID` is nil).
  func describeWorkflow(id: String, runID: String?) async throws -> WorkflowDescription
  /// The run's first history event, for a restart.
  func firstEvent(workflowID: String, runID: String) async throws -> FirstEvent
  /// Who made run `newRunID` of `workflowID` by a reset, and when, as its history says; `nil`
  /// when it was not made by a reset (or the history does not say).
  func resetOrigin(workflowID: String, newRunID: String) async throws -> ResetOrigin?
  /// Workers polling `taskQueues` as `version` (its task queues, from ``describeVersion(_:)``;
  /// passed in so they can still be asked once the version is deleted).
  func pollers(of version: WorkerDeploymentVersion, on taskQueues: [VersionDescription.TaskQueue])
    async throws -> [Poller]
  /// The request a change sends and the `temporal` command that does the same, secrets redacted.
  func intent(of change: TemporalChange, context: ChangeContext) throws -> ChangeIntent
  /// Carries out one change. Never retried blindly: an error leaves it in doubt until a read settles it.
  func perform(_ change: TemporalChange, context: ChangeContext) async throws -> ChangeResult
}
