public import SalvageCore
import Synchronization

/// A Temporal stand-in for unit tests of the runner: a deployment's routing that the stop commands
/// really change, every change recorded, and failures that can be scripted. Calls the runner does
/// not expect in a test throw, so a test fails loudly when it touches something unplanned.
public final class ScriptedTemporal: RunbookRunner.Client {
  public struct Routing: Equatable, Sendable {
    public var current: String?
    public var ramping: String?
    public var percentage: Double
    public init(current: String?, ramping: String? = nil, percentage: Double = 0) {
      self.current = current
      self.ramping = ramping
      self.percentage = percentage
    }
  }

  private struct Model {
    var routing: Routing
    var performed: [(TemporalChange, ChangeContext)] = []
    var failNext: TemporalError?
    var batches: [String: BatchJobRecord] = [:]
  }

  private let model: Mutex<Model>

  public init(routing: Routing) { model = Mutex(Model(routing: routing)) }

  public var routing: Routing { model.withLock { $0.routing } }
  public var performed: [TemporalChange] { model.withLock { $0.performed.map(\.0) } }
  public var identities: [String] { model.withLock { $0.performed.map(\.1.identity) } }

  /// The next change throws this instead of taking effect.
  public func failNextChange(with error: TemporalError) { model.withLock { $0.failNext = error } }

  /// A batch the TemporalBatcher search will find under `identity`.
  public func knowBatch(_ id: String, identity: String) {
    model.withLock {
      $0.batches[identity] = BatchJobRecord(
        id: BatchJobID(rawValue: id), status: .completed, operationType: "reset", reason: nil, query: nil,
        successCount: 1, failureCount: 0, startTime: nil)
    }
  }

  public func describeDeployment(_ name: String) throws -> DeploymentDescription {
    let routing = self.routing
    return DeploymentDescription(
      name: name, currentBuildID: routing.current, rampingBuildID: routing.ramping,
      rampPercentage: routing.percentage, versions: [])
  }

  public func command(for change: TemporalChange, context: ChangeContext) throws -> [String] {
    ["temporal", "\(change)", "--identity", context.identity]
  }

  public func perform(_ change: TemporalChange, context: ChangeContext) throws -> BatchJobID? {
    try model.withLock { model in
      if let error = model.failNext {
        model.failNext = nil
        throw error
      }
      model.performed.append((change, context))
      switch change {
      case .setCurrentVersion(let version): model.routing.current = version.buildID
      case .setRampingVersion(let version, let percentage):
        model.routing.ramping = version.buildID
        model.routing.percentage = percentage
      case .removeRamp:
        model.routing.ramping = nil
        model.routing.percentage = 0
      default: break
      }
      return nil
    }
  }

  public func findBatchJobs(identity: String) throws -> [BatchJobRecord] {
    model.withLock { $0.batches[identity].map { [$0] } ?? [] }
  }

  // Not scripted yet: a test that reaches these fails with a clear message.
  /// A version with no task queues and nothing known about drainage.
  public func describeVersion(_ version: WorkerDeploymentVersion) throws -> VersionDescription {
    VersionDescription(
      version: version, drainage: .unspecified, drainageChangedAt: nil, drainageCheckedAt: nil, rampPercentage: 0,
      currentSince: nil, rampingSince: nil, taskQueues: [])
  }
  public func setCurrentVersion(_ version: WorkerDeploymentVersion, context: ChangeContext) throws { throw Self.unscripted }
  public func setRampingVersion(_ version: WorkerDeploymentVersion, percentage: Double, context: ChangeContext) throws {
    throw Self.unscripted
  }
  public func removeRamp(deployment: String, context: ChangeContext) throws { throw Self.unscripted }
  /// Nothing is affected in the scripted world.
  public func count(_ query: VisibilityQuery) throws -> Int { 0 }
  public func count(_ query: VisibilityQuery, groupedBy attribute: SearchAttribute) throws -> [CountGroup] {
    throw Self.unscripted
  }
  public func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void) throws {}
  public func updateOptions(matching query: VisibilityQuery, pinTo version: WorkerDeploymentVersion, context: ChangeContext)
    throws -> BatchJobID
  { throw Self.unscripted }
  public func resetWithMove(
    matching query: VisibilityQuery, to target: ResetTarget, pinTo version: WorkerDeploymentVersion, context: ChangeContext
  ) throws -> BatchJobID { throw Self.unscripted }
  public func describeBatch(_ id: BatchJobID) throws -> BatchJob {
    guard model.withLock({ $0.batches.values.contains { $0.id == id } }) else { throw Self.unscripted }
    return BatchJob(
      id: id, state: .completed, operationType: "BATCH_OPERATION_TYPE_RESET_WORKFLOW", totalCount: 1,
      completeCount: 1, failureCount: 0, identity: nil, reason: nil, query: nil, startTime: nil, closeTime: nil)
  }
  public func describeWorkflow(id: String, runID: String?) throws -> WorkflowDescription { throw Self.unscripted }
  public func pollers(of version: WorkerDeploymentVersion) throws -> [Poller] { throw Self.unscripted }
  public func deleteVersion(_ version: WorkerDeploymentVersion, context: ChangeContext) throws { throw Self.unscripted }

  private static let unscripted = TemporalError.commandFailed(
    command: "scripted temporal", status: 99, message: "this call is not scripted in this test")
}
