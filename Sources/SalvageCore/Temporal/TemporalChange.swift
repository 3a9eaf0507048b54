/// A call that changes Temporal, as a value: the runner records it (and the `temporal` command
/// that does the same) before it runs it (intent before effect), and a dry run prints it.
public enum TemporalChange: Equatable, Sendable {
  // The three stop changes carry the routing they were decided on: see ``routingReplaced``.
  case setCurrentVersion(WorkerDeploymentVersion, replacing: RolloutObserved)
  case setRampingVersion(WorkerDeploymentVersion, percentage: Double, replacing: RolloutObserved)
  case removeRamp(deployment: String, replacing: RolloutObserved)
  /// The deployment's `manager_identity` set to `to` (unset when `nil`), sent only while the
  /// deployment is still managed as observed in `replacing`: salvage claims a deployment a
  /// controller manages, and hands it back.
  case setManager(deployment: String, to: String?, replacing: RolloutObserved)
  /// A Versioning Override (pinned) batch on every match, under a job id salvage chose.
  case updateOptions(query: VisibilityQuery, pinTo: WorkerDeploymentVersion, job: BatchJobID)
  /// A batch removing the Versioning Override of every match (`salvage unpin`): each falls back to
  /// its own versioning behavior and version. The query names runs pinned to `from`.
  case unpin(query: VisibilityQuery, from: WorkerDeploymentVersion, job: BatchJobID)
  /// A Reset-with-Move batch on every match, under a job id salvage chose.
  case resetWithMove(
    query: VisibilityQuery, target: ResetTarget, pinTo: WorkerDeploymentVersion, job: BatchJobID)
  /// One closed run reset to its first Workflow Task, pinned to `pinTo`.
  case resetRun(
    workflowID: String, runID: String, pinTo: WorkerDeploymentVersion, requestID: String)
  case deleteVersion(WorkerDeploymentVersion)
  /// One run terminated by its run id: the first half of a restart.
  case terminateRun(workflowID: String, runID: String)
  /// The workflow id started again from `first`'s arguments, pinned to `pinTo` by the start's
  /// Versioning Override, under `reuse`, with the conflict policy FAIL (never terminate or use an
  /// existing run). `requestID` makes the start exactly once against the workflow id's current run.
  case startAgain(
    FirstEvent, pinTo: WorkerDeploymentVersion, requestID: String, reuse: IDReusePolicy)

  /// Whether the change is one to the deployment itself (its routing, or a version's delete),
  /// which only its manager identity may make when one is set; setting the manager is not.
  public var changesDeployment: Bool {
    switch self {
    case .setCurrentVersion, .setRampingVersion, .removeRamp, .deleteVersion: true
    default: false
    }
  }

  /// A change to one run: a reset, a terminate or a start (salvage's own per-run work).
  public var isPerRun: Bool {
    switch self {
    case .resetRun, .terminateRun, .startAgain: true
    default: false
    }
  }

  /// The server calls the change makes: a run's reset reads its first Workflow Task first.
  public var calls: Int {
    if case .resetRun = self { return 2 }
    return 1
  }

  /// The batch job id the change starts, when it starts one.
  public var batchJob: BatchJobID? {
    switch self {
    case .updateOptions(_, _, let job), .resetWithMove(_, _, _, let job), .unpin(_, _, let job): job
    default: nil
    }
  }
}
