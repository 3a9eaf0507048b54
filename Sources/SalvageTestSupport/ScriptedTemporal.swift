public import SalvageCore
import Synchronization

/// A Temporal stand-in for unit tests of the runner: a deployment's routing that the stop commands
/// really change, every change recorded, and failures that can be scripted. Calls the runner does
/// not expect in a test throw, so a test fails loudly when it touches something unplanned.
public final class ScriptedTemporal: TemporalClient {

  private struct Model {
    var routing: DeploymentRouting
    var performed: [(TemporalChange, ChangeContext)] = []
    var failNext: TemporalError?
    /// Batch jobs the server knows, by job id.
    var batches: [BatchJobID: BatchJob] = [:]
    /// What a person sets the routing to right after the next describe answers.
    var routeAfterDescribe: DeploymentRouting?
  }

  private let model: Mutex<Model>

  public init(routing: DeploymentRouting) { model = Mutex(Model(routing: routing)) }

  public var routing: DeploymentRouting { model.withLock { $0.routing } }
  public var performed: [TemporalChange] { model.withLock { $0.performed.map(\.0) } }
  public var identities: [String] { model.withLock { $0.performed.map(\.1.identity) } }

  /// A person changes the routing by hand (with the `temporal` CLI, say).
  public func route(_ routing: DeploymentRouting) { model.withLock { $0.routing = routing } }

  /// A person changes the routing to `routing` right after the next describe answers, so
  /// whatever salvage decides on that answer is already out of date.
  public func routeAfterNextDescribe(_ routing: DeploymentRouting) {
    model.withLock { $0.routeAfterDescribe = routing }
  }

  /// The next change throws this instead of taking effect.
  public func failNextChange(with error: TemporalError) { model.withLock { $0.failNext = error } }

  /// A finished batch the server knows under `id` (as if a launch reached it before a crash).
  public func knowBatch(_ id: String, total: Int = 1) {
    model.withLock {
      $0.batches[BatchJobID(rawValue: id)] = Self.finished(BatchJobID(rawValue: id), total: total)
    }
  }

  private static func finished(_ id: BatchJobID, total: Int) -> BatchJob {
    BatchJob(
      id: id, state: .completed, operationType: "BATCH_OPERATION_TYPE_RESET", totalCount: total,
      completeCount: total, failureCount: 0, identity: nil, reason: nil, query: nil, startTime: nil,
      closeTime: nil)
  }

  public func describeDeployment(_ name: String) async throws -> DeploymentDescription {
    let routing = model.withLock { model in
      defer {
        if let next = model.routeAfterDescribe {
          (model.routing, model.routeAfterDescribe) = (next, nil)
        }
      }
      return model.routing
    }
    return Self.description(of: routing, name: name)
  }

  private static func description(of routing: DeploymentRouting, name: String)
    -> DeploymentDescription
  {
    DeploymentDescription(
      name: name, currentBuildID: routing.current, rampingBuildID: routing.ramping,
      rampPercentage: routing.percentage, versions: [])
  }

  public func intent(of change: TemporalChange, context: ChangeContext) throws -> ChangeIntent {
    ChangeIntent(command: ["temporal", "\(change)", "--identity", context.identity], request: "{}")
  }

  public func perform(_ change: TemporalChange, context: ChangeContext) async throws -> ChangeResult
  {
    try model.withLock { model in
      if let error = model.failNext {
        model.failNext = nil
        throw error
      }
      try change.checkRouting(against: Self.description(of: model.routing, name: "orders"))
      model.performed.append((change, context))
      switch change {
      case .setCurrentVersion(let version, _): model.routing.current = version.buildID
      case .setRampingVersion(let version, let percentage, _):
        model.routing.ramping = version.buildID
        model.routing.percentage = percentage
      case .removeRamp:
        model.routing.ramping = nil
        model.routing.percentage = 0
      case .updateOptions(_, _, let job), .resetWithMove(_, _, _, let job), .unpin(_, _, let job):
        if model.batches[job] != nil { throw TemporalError.alreadyExists("batch \(job)") }
        model.batches[job] = Self.finished(job, total: 0)
        return .batch(job, alreadyStarted: false)
      case .resetRun(_, let runID, _, _):
        return .reset(newRunID: "reset-of-\(runID)")
      case .deleteVersion, .terminateRun, .setManager:
        break
      case .startAgain(let first, _, _, _):
        return .started(newRunID: "restart-of-\(first.runID)")
      }
      return .done
    }
  }

  /// A version with no task queues and nothing known about drainage.
  public func describeVersion(_ version: WorkerDeploymentVersion) async throws -> VersionDescription
  {
    VersionDescription(
      version: version, drainage: .unspecified, drainageChangedAt: nil, drainageCheckedAt: nil,
      rampPercentage: 0,
      currentSince: nil, rampingSince: nil, taskQueues: [])
  }
  /// A namespace keeping closed executions for a day.
  public func serverVersion() async throws -> String { "1.32.0" }

  public func describeNamespace() async throws -> NamespaceDescription {
    NamespaceDescription(name: "default", retentionSeconds: 86_400)
  }
  /// Nothing is affected in the scripted world.
  public func count(_ query: VisibilityQuery) async throws -> Int { 0 }
  public func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void)
    async throws
  {}
  public func describeBatch(_ id: BatchJobID) async throws -> BatchJob {
    guard let job = model.withLock({ $0.batches[id] }) else {
      throw TemporalError.batchNotFound(id.rawValue)
    }
    return job
  }
  // Not scripted yet: a test that reaches these fails with a clear message.
  public func describeWorkflow(id: String, runID: String?) async throws -> WorkflowDescription {
    throw Self.unscripted
  }
  public func firstEvent(workflowID: String, runID: String) async throws -> FirstEvent {
    throw Self.unscripted
  }
  public func pollers(
    of version: WorkerDeploymentVersion, on taskQueues: [VersionDescription.TaskQueue]
  )
    async throws -> [Poller]
  { throw Self.unscripted }

  private static let unscripted = TemporalError.failed(
    call: "scripted temporal", code: "unimplemented",
    message: "this call is not scripted in this test")
}
