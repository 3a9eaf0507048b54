import Synchronization

/// A dry run's Temporal: the live client for every read, and a record of every change instead of
/// sending it.
///
/// The runner drives it as it drives the server, so a dry run is the normal runbook over a scratch
/// journal. Each change is recorded in order (its ``ChangeIntent``: the `temporal` command and the
/// request) and answered as the server would after it; the reads that the runbook's gates depend
/// on then answer for what was planned:
/// - routing (`describeDeployment`) shows the planned Current and Ramping versions;
/// - a planned batch job (`describeBatch`) is completed, every execution its query matched when it
///   was planned done, none failed;
/// - Running executions pinned to the bad version that a planned recovery selected are no longer
///   counted or listed there, and once none is left the bad version reports `drained`, checked
///   just after the last planned recovery started;
/// - once drained, nothing polls the bad version (the real pollers are kept: the real run waits for
///   them), and after a planned delete the version is not found.
///
/// Closed runs are listed as visibility shows them now, and each closed reset's check reads the
/// real server. It does no I/O of its own.
public final class PlanningTemporalClient: TemporalClient {
  /// One change the dry run would make, in order.
  public struct PlannedChange: Equatable, Sendable {
    /// The change, as the runner made it.
    public let change: TemporalChange
    /// The identity of the action making it (`salvage/<incident>/<action>`).
    public let identity: String
    /// The `temporal` command and the request the live client would send, secrets redacted.
    public let intent: ChangeIntent
    /// For a batch: how many executions its query matches now.
    public let selected: Int?

    public init(
      change: TemporalChange, identity: String, intent: ChangeIntent, selected: Int? = nil
    ) {
      self.change = change
      self.identity = identity
      self.intent = intent
      self.selected = selected
    }
  }

  struct Planned {
    var changes: [PlannedChange] = []
    /// The deployment's routing and manager after the planned changes; `nil` before the first.
    var routing: RolloutObserved?
    var deleted = false
    /// Executions a planned recovery selected, by run id.
    var moved: Set<String> = []
    /// Planned batches: how many executions each selected, and when it was planned.
    var batches: [BatchJobID: (count: Int, at: UTCTime, context: ChangeContext, query: String?)] =
      [:]
    var lastRecoveryAt: UTCTime?
    var drainedAt: UTCTime?
    var awaitedPollers: [String] = []
  }

  let live: any TemporalClient
  let bad: WorkerDeploymentVersion
  let now: @Sendable () -> UTCTime
  let planned = Mutex(Planned())

  /// Plans over `live` for an incident whose bad version is `bad`; `now` dates what it plans.
  public init(
    live: any TemporalClient, bad: WorkerDeploymentVersion, now: @escaping @Sendable () -> UTCTime
  ) {
    self.live = live
    self.bad = bad
    self.now = now
  }

  /// Every change planned so far, in the order the runner made them.
  public var changes: [PlannedChange] { planned.withLock { $0.changes } }

  /// The workers that polled the bad version when the plan reached clean-up: the real run waits
  /// for them to stop before it deletes the version.
  public var awaitedPollers: [String] { planned.withLock { $0.awaitedPollers } }

  // MARK: Changes

  public func intent(of change: TemporalChange, context: ChangeContext) throws -> ChangeIntent {
    try live.intent(of: change, context: context)
  }

  public func perform(_ change: TemporalChange, context: ChangeContext) async throws -> ChangeResult
  {
    let intent = try live.intent(of: change, context: context)
    // A batch selects what its query matches now: read before the plan records it.
    var selected: [String] = []
    if let job = change.batchJob, let query = change.batchQuery {
      try await list(query) { selected.append($0.runID) }
      let at = now()
      let rendered = try? query.rendered()
      let recovers = change.movesOffBad
      planned.withLock { plan in
        plan.batches[job] = (selected.count, at, context, rendered)
        guard recovers else { return }
        plan.moved.formUnion(selected)
        plan.lastRecoveryAt = at
      }
    }
    // The deployment as the server routes it now, for the first planned change to route from.
    var serverRouting: RolloutObserved?
    if change.routingReplaced != nil, planned.withLock({ $0.routing == nil }) {
      serverRouting = RolloutObserved(try await live.describeDeployment(bad.deploymentName))
    }
    return planned.withLock { plan in
      plan.changes.append(
        PlannedChange(
          change: change, identity: context.identity, intent: intent,
          selected: change.batchJob == nil ? nil : selected.count))
      // Routed as the server routes: from the routing the earlier planned changes left, or the
      // server's own before the first.
      if let routing = plan.routing ?? serverRouting, let next = routing.after(change) {
        plan.routing = next
        return .done
      }
      switch change {
      case .resetRun(_, let runID, _, _):
        return .reset(newRunID: "planned-reset-of-\(runID)")
      case .deleteVersion(let version) where version == bad:
        plan.deleted = true
        return .done
      case .terminateRun(_, let runID):
        // Terminated: no longer Running on the bad version, as after a recovery.
        plan.moved.insert(runID)
        plan.lastRecoveryAt = now()
        return .done
      case .startAgain(let first, _, _, _):
        return .started(newRunID: "planned-restart-of-\(first.runID)")
      default:
        // A batch answers as a fresh launch; any other change (new ones included) as accepted.
        return change.batchJob.map { .batch($0, alreadyStarted: false) } ?? .done
      }
    }
  }

  // MARK: Reads, as they would be after the plan

  public func describeDeployment(_ name: String) async throws -> DeploymentDescription {
    let real = try await live.describeDeployment(name)
    guard name == bad.deploymentName else { return real }
    return planned.withLock { plan in
      let routing = plan.routing ?? RolloutObserved(real)
      return DeploymentDescription(
        name: real.name, currentBuildID: routing.currentBuild, rampingBuildID: routing.rampingBuild,
        rampPercentage: routing.rampPercentage,
        versions: real.versions.filter { !(plan.deleted && $0.buildID == bad.buildID) },
        managerIdentity: routing.managerIdentity)
    }
  }

  public func describeVersion(_ version: WorkerDeploymentVersion) async throws -> VersionDescription
  {
    guard version == bad else { return try await live.describeVersion(version) }
    if planned.withLock({ $0.deleted }) { throw TemporalError.versionNotFound(bad.description) }
    let real = try await live.describeVersion(version)
    // Drained once no Running execution pinned to it is left that a planned recovery did not select.
    var left = 0
    let pinnedRunning = VisibilityQuery.all([
      .equals(.workerDeploymentVersion, bad.visibilityValue), .equals(.executionStatus, "Running"),
    ])
    try await list(pinnedRunning) { _ in left += 1 }
    guard left == 0 else { return real }
    // Already drained on the server, with nothing planned since: the real run sees just that.
    if real.drainage == .drained, planned.withLock({ $0.lastRecoveryAt == nil }) { return real }
    let checked = planned.withLock { plan in
      let at =
        plan.lastRecoveryAt.map { UTCTime(millisecondsSinceEpoch: $0.millisecondsSinceEpoch + 1) }
        ?? plan.drainedAt ?? now()
      plan.drainedAt = at
      return at
    }
    return VersionDescription(
      version: real.version, drainage: .drained, drainageChangedAt: checked,
      drainageCheckedAt: checked,
      rampPercentage: 0, currentSince: nil, rampingSince: nil, taskQueues: real.taskQueues)
  }

  public func serverVersion() async throws -> String { try await live.serverVersion() }

  public func describeNamespace() async throws -> NamespaceDescription {
    try await live.describeNamespace()
  }

  public func count(_ query: VisibilityQuery) async throws -> Int {
    guard selectsPinnedToBad(query), planned.withLock({ !$0.moved.isEmpty }) else {
      return try await live.count(query)
    }
    var count = 0
    try await list(query) { _ in count += 1 }
    return count
  }

  public func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void)
    async throws
  {
    guard selectsPinnedToBad(query) else { return try await live.list(query, each) }
    let moved = planned.withLock { $0.moved }
    try await live.list(query) { summary in
      // A planned recovery moved it off the bad version (or ended it, by a reset).
      if summary.status == .running, moved.contains(summary.runID) { return }
      try each(summary)
    }
  }

  public func describeBatch(_ id: BatchJobID) async throws -> BatchJob {
    guard let batch = planned.withLock({ $0.batches[id] }) else {
      return try await live.describeBatch(id)
    }
    return BatchJob(
      id: id, state: .completed, operationType: "planned", totalCount: batch.count,
      completeCount: batch.count,
      failureCount: 0, identity: batch.context.identity, reason: batch.context.reason,
      query: batch.query,
      startTime: batch.at, closeTime: batch.at)
  }

  public func describeWorkflow(id: String, runID: String?) async throws -> WorkflowDescription {
    try await live.describeWorkflow(id: id, runID: runID)
  }

  public func firstEvent(workflowID: String, runID: String) async throws -> FirstEvent {
    try await live.firstEvent(workflowID: workflowID, runID: runID)
  }

  public func pollers(
    of version: WorkerDeploymentVersion, on taskQueues: [VersionDescription.TaskQueue]
  )
    async throws -> [Poller]
  {
    let real = try await live.pollers(of: version, on: taskQueues)
    guard version == bad, planned.withLock({ $0.drainedAt != nil || $0.deleted }) else {
      return real
    }
    let identities = real.map(\.identity).sorted()
    planned.withLock { plan in
      if !identities.isEmpty, plan.awaitedPollers.isEmpty { plan.awaitedPollers = identities }
    }
    return []
  }

  /// Whether `query` selects executions pinned to the bad version (an `AND` with that clause).
  func selectsPinnedToBad(_ query: VisibilityQuery) -> Bool {
    func clauses(_ query: VisibilityQuery) -> [VisibilityQuery] {
      if case .all(let inner) = query { return inner.flatMap(clauses) }
      return [query]
    }
    return clauses(query).contains(.equals(.workerDeploymentVersion, bad.visibilityValue))
  }
}

extension TemporalChange {
  /// Whether the batch moves what it selects off the bad version (an unpin moves nothing off it).
  var movesOffBad: Bool {
    if case .unpin = self { return false }
    return true
  }

  /// The query a batch change selects its executions by.
  var batchQuery: VisibilityQuery? {
    switch self {
    case .updateOptions(let query, _, _), .resetWithMove(let query, _, _, _),
      .unpin(let query, _, _):
      query
    default: nil
    }
  }
}
