import Foundation
public import SalvageCore

/// ``TemporalClient`` over the `temporal` CLI, one process per call (design §7).
///
/// Argv only, never a shell; JSON output; a timeout per call; stderr mapped to typed errors.
/// Commands that print nothing on success (set-current, set-ramping, delete-version) are
/// confirmed by the caller with a re-describe.
public struct ProcessTemporalClient: TemporalClient {
  /// Per-call time limits, in seconds.
  public struct Timeouts: Sendable {
    public var read: Double = 30
    public var change: Double = 60
    public var list: Double = 600
    public init() {}
  }

  public let arguments: TemporalArguments
  public let runner: any CommandRunner
  public var timeouts: Timeouts
  /// Secret values from the environment (an API key, codec auth, inline key material), scrubbed
  /// from every error message so they never reach the journal, a log or the terminal.
  public var secrets: [String]

  /// The environment variables whose values are secret.
  public static let secretVariables = [
    "TEMPORAL_API_KEY", "TEMPORAL_CODEC_AUTH", "TEMPORAL_TLS_CLIENT_KEY_DATA",
  ]

  public init(
    connection: TemporalConnection, runner: any CommandRunner = ProcessCommandRunner(),
    timeouts: Timeouts = Timeouts(),
    environment: [String: String]? = nil
  ) {
    arguments = TemporalArguments(connection: connection)
    self.runner = runner
    self.timeouts = timeouts
    let variables = environment ?? ProcessInfo.processInfo.environment
    secrets = Self.secretVariables.compactMap { variables[$0] }.filter { !$0.isEmpty }
  }

  // MARK: - Deployments

  public func describeDeployment(_ name: String) throws -> DeploymentDescription {
    try decode(DeploymentJSON.self, arguments.describeDeployment(name)).description
  }

  public func describeVersion(_ version: WorkerDeploymentVersion) throws -> VersionDescription {
    try decode(VersionJSON.self, arguments.describeVersion(version)).description
  }

  public func setCurrentVersion(_ version: WorkerDeploymentVersion, context: ChangeContext) throws {
    _ = try execute(arguments.setCurrentVersion(version, context: context), timeouts.change)
  }

  public func setRampingVersion(
    _ version: WorkerDeploymentVersion, percentage: Double, context: ChangeContext
  ) throws {
    _ = try execute(
      arguments.setRampingVersion(version, percentage: percentage, context: context), timeouts.change)
  }

  public func removeRamp(deployment: String, context: ChangeContext) throws {
    _ = try execute(arguments.removeRamp(deployment: deployment, context: context), timeouts.change)
  }

  public func deleteVersion(_ version: WorkerDeploymentVersion, context: ChangeContext) throws {
    _ = try execute(arguments.deleteVersion(version, context: context), timeouts.change)
  }

  public func pollers(of version: WorkerDeploymentVersion) throws -> [Poller] {
    let queues = try describeVersion(version).taskQueues
    var result: [Poller] = []
    for queue in queues {
      let json = try decode(
        LegacyTaskQueueJSON.self, arguments.describeTaskQueue(queue.name, type: queue.type))
      result += json.pollers(taskQueue: queue.name).filter { $0.version == version }
    }
    return result
  }

  // MARK: - Visibility

  public func count(_ query: VisibilityQuery) throws -> Int {
    try decode(CountJSON.self, arguments.count(try rendered(query))).total
  }

  public func count(_ query: VisibilityQuery, groupedBy attribute: SearchAttribute) throws
    -> [CountGroup]
  {
    let text = try rendered(query) + " GROUP BY \(attribute.name)"
    return try decode(CountJSON.self, arguments.count(text)).countGroups
  }

  public func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void)
    throws
  {
    let argv = arguments.list(try rendered(query))
    let command = ProcessCommandRunner.display(argv)
    let decoder = JSONDecoder()
    let output = try runner.stream(argv, timeout: timeouts.list) { line in
      // The fast reader first; JSONDecoder when it gives up, for the real error.
      if let summary = ListEntryJSON.fastSummary(line) { return try each(summary) }
      let entry: ListEntryJSON
      do {
        entry = try decoder.decode(ListEntryJSON.self, from: line)
      } catch {
        throw TemporalError.unreadableOutput(command: command, reason: decodingFailure(error))
      }
      try each(entry.summary)
    }
    guard output.status == 0 else {
      throw scrubbed(TemporalErrorClassifier.classify(output, command: command))
    }
  }

  public func findBatchJobs(identity: String) throws -> [BatchJobRecord] {
    let query = VisibilityQuery.all([
      .equals(.namespaceDivision, "TemporalBatcher"), .equals(.batcherUser, identity),
    ])
    var records: [BatchJobRecord] = []
    try list(query) { entry in
      let stats = entry.memo["batch_operation_stats"]
      func stat(_ name: String) -> Int? {
        if case .object(let fields)? = stats, let value = fields[name]?.number { return Int(value) }
        return nil
      }
      records.append(
        BatchJobRecord(
          id: BatchJobID(rawValue: entry.workflowID), status: entry.status,
          operationType: entry.memo["batch_operation_type"]?.string,
          reason: entry.memo["batch_operation_reason"]?.string,
          query: entry.memo["batch_operation_visibility_query"]?.string,
          successCount: stat("NumSuccess"), failureCount: stat("NumFailure"),
          startTime: entry.startTime))
    }
    return records
  }

  // MARK: - Batches and workflows

  public func updateOptions(
    matching query: VisibilityQuery, pinTo version: WorkerDeploymentVersion, context: ChangeContext
  ) throws -> BatchJobID {
    let argv = arguments.updateOptions(query: try rendered(query), pinTo: version, context: context)
    return BatchJobID(rawValue: try decode(BatchLaunchJSON.self, argv, timeouts.change).batchJobId)
  }

  public func resetWithMove(
    matching query: VisibilityQuery, to target: ResetTarget, pinTo version: WorkerDeploymentVersion,
    context: ChangeContext
  ) throws -> BatchJobID {
    let argv = arguments.resetWithMove(
      query: try rendered(query), to: target, pinTo: version, context: context)
    return BatchJobID(rawValue: try decode(BatchLaunchJSON.self, argv, timeouts.change).batchJobId)
  }

  public func describeBatch(_ id: BatchJobID) throws -> BatchJob {
    try decode(BatchDescribeJSON.self, arguments.describeBatch(id)).job
  }

  public func describeWorkflow(id: String, runID: String?) throws -> WorkflowDescription {
    try decode(DescribeWorkflowJSON.self, arguments.describeWorkflow(id: id, runID: runID)).description
  }

  /// How many `temporal` processes describe runs at once: each mostly waits on its start-up and
  /// the server, so a few run well side by side even on two cores.
  static let parallelDescribes = 8

  /// Describes the runs with up to ``parallelDescribes`` processes at once; the first error wins.
  public func describeWorkflows(_ runs: [(workflowID: String, runID: String)]) throws -> [WorkflowDescription] {
    let results = ParallelResults<WorkflowDescription>(count: runs.count)
    DispatchQueue.concurrentPerform(iterations: max(1, min(Self.parallelDescribes, runs.count))) { _ in
      while let index = results.claim() {
        results.set(index, Result { try describeWorkflow(id: runs[index].workflowID, runID: runs[index].runID) })
      }
    }
    return try results.values()
  }

  // MARK: - Plumbing

  private func rendered(_ query: VisibilityQuery) throws -> String {
    try Self.render(query)
  }

  private func execute(_ argv: [String], _ timeout: Double) throws -> CommandOutput {
    let output = try runner.run(argv, timeout: timeout)
    guard output.status == 0 else {
      throw scrubbed(TemporalErrorClassifier.classify(output, command: ProcessCommandRunner.display(argv)))
    }
    return output
  }

  /// The error with every secret value masked in its message.
  private func scrubbed(_ error: TemporalError) -> TemporalError {
    guard !secrets.isEmpty else { return error }
    let clean = { (text: String) in ArgumentRedactor.scrub(text, secrets: secrets) }
    switch error {
    case .unreachable(let message): return .unreachable(clean(message))
    case .deploymentNotFound(let message): return .deploymentNotFound(clean(message))
    case .versionNotFound(let message): return .versionNotFound(clean(message))
    case .invalidQuery(let message): return .invalidQuery(clean(message))
    case .batchNotFound(let message): return .batchNotFound(clean(message))
    case .versionHasPollers(let message): return .versionHasPollers(clean(message))
    case .commandFailed(let command, let status, let message):
      return .commandFailed(command: command, status: status, message: clean(message))
    default: return error
    }
  }

  private func decode<T: Decodable>(_ type: T.Type, _ argv: [String], _ timeout: Double? = nil)
    throws -> T
  {
    let output = try execute(argv, timeout ?? timeouts.read)
    let command = ProcessCommandRunner.display(argv)
    guard !output.truncated else {
      throw TemporalError.unreadableOutput(command: command, reason: "output over its size limit")
    }
    do {
      return try JSONDecoder().decode(T.self, from: output.stdout)
    } catch {
      throw TemporalError.unreadableOutput(command: command, reason: decodingFailure(error))
    }
  }
}

/// Results that several threads fill in, each claiming the next index until one fails.
private final class ParallelResults<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var next = 0
  private var failed = false
  private var results: [Result<Value, any Error>?]

  init(count: Int) { results = Array(repeating: nil, count: count) }

  func claim() -> Int? {
    lock.withLock {
      guard !failed, next < results.count else { return nil }
      defer { next += 1 }
      return next
    }
  }

  func set(_ index: Int, _ result: Result<Value, any Error>) {
    lock.withLock {
      results[index] = result
      if case .failure = result { failed = true }
    }
  }

  /// Every value in order, or the first error by index.
  func values() throws -> [Value] {
    let results = lock.withLock { self.results }
    for case .failure(let error)? in results { throw error }
    return try results.map { try $0!.get() }  // without a failure every index was claimed and set
  }
}
