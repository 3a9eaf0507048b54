public import SalvageCore
import Synchronization

/// The cluster's reads, each a second of server time.
extension ScriptedCluster {
  /// Every call: dead after a crash, and a second of server time.
  func tick() throws {
    try crash.check()
    world.withLock { world in
      if world.visibilityLag > 0 { world.snapshots.append((world.serverTime, world.executions)) }
      world.serverTime += 1_000
      settle(&world)
    }
  }

  /// What the server does on its own by now: late launches and resets, drainage checks.
  func settle(_ world: inout World) {
    // A launch whose answer was lost starts when its time comes, whoever is calling.
    while let index = world.pendingLaunches.firstIndex(where: { $0.startAt <= world.serverTime }) {
      let launch = world.pendingLaunches.remove(at: index)
      _ = try? apply(launch.change, context: launch.context, in: &world)
    }
    world.advanceDrainage(bad: bad)
  }

  public func describeDeployment(_ name: String) async throws -> DeploymentDescription {
    try tick()
    return world.withLock { world in
      world.deploymentDescribes += 1
      defer {
        if let next = world.routeAfterDescribe {
          world.route(next)
          world.routeAfterDescribe = nil
        }
      }
      return description(in: &world)
    }
  }

  /// The deployment as a describe shows it now (a routing change answers with it too, as the
  /// adapter's wait for the routing update does).
  func description(in world: inout World) -> DeploymentDescription {
    DeploymentDescription(
      name: deployment, currentBuildID: world.current, rampingBuildID: world.ramping,
      rampPercentage: world.percentage,
      versions: world.builds.map { .init(buildID: $0, drainage: drainage(of: $0, in: &world).0) },
      managerIdentity: world.manager)
  }

  public func describeVersion(_ version: WorkerDeploymentVersion) async throws -> VersionDescription
  {
    try tick()
    return try world.withLock { world in
      guard world.builds.contains(version.buildID) else {
        throw TemporalError.versionNotFound("\(version)")
      }
      let (drainage, checked) = drainage(of: version.buildID, in: &world)
      let changed = version.buildID == bad ? world.drainageClock?.changedAt : nil
      return VersionDescription(
        version: version, drainage: drainage,
        drainageChangedAt: changed.map { UTCTime(millisecondsSinceEpoch: $0) },
        drainageCheckedAt: checked.map { UTCTime(millisecondsSinceEpoch: $0) }, rampPercentage: 0,
        currentSince: nil, rampingSince: nil,
        taskQueues: [.init(name: "\(deployment)-tq", type: "workflow")])
    }
  }

  /// Drainage of `build`: unspecified while routed to; draining while anything Running is pinned
  /// to it; then drained, checked once and not again (sticky, as the server is). The bad
  /// version's, on the server's clocks, as they last recorded it.
  func drainage(of build: String, in world: inout World) -> (DrainageStatus, Int64?) {
    if build == bad, let clock = world.drainageClock { return (clock.status, clock.checkedAt) }
    if world.current == build || world.ramping == build { return (.unspecified, nil) }
    if world.executions.contains(where: { $0.build == build && $0.status == .running }) {
      return (.draining, world.serverTime)
    }
    guard build == bad else { return (.drained, nil) }
    if world.drainedCheckedAt == nil { world.drainedCheckedAt = world.serverTime }
    return (.drained, world.drainedCheckedAt)
  }

  public func serverVersion() async throws -> String {
    try tick()
    return world.withLock { $0.serverRelease }
  }

  public func describeNamespace() async throws -> NamespaceDescription {
    try tick()
    return NamespaceDescription(name: "default", retentionSeconds: 86_400)
  }

  public func count(_ query: VisibilityQuery) async throws -> Int {
    try tick()
    try Self.refuseUnrendered(query)
    return world.withLock { world in world.visible.filter { world.matches(query, $0) }.count }
  }

  public func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void)
    async throws
  {
    try tick()
    try Self.refuseUnrendered(query)
    let selected = world.withLock { world in world.visible.filter { world.matches(query, $0) } }
    for execution in selected { try each(summary(of: execution)) }
    // A run that closed between two pages, listed again on the later one.
    let relisted = world.withLock { world -> Execution? in
      guard let closing = world.closeWhileListing,
        let index = world.executions.firstIndex(where: {
          $0.workflowID == closing.workflowID && $0.status == .running
        }),
        selected.contains(where: { $0.runID == world.executions[index].runID })
      else { return nil }
      world.closeWhileListing = nil
      world.executions[index].status = closing.status
      return world.executions[index]
    }
    if let relisted { try each(summary(of: relisted)) }
  }

  public func describeBatch(_ id: BatchJobID) async throws -> BatchJob {
    try tick()
    return try world.withLock { world in
      guard var batch = world.batches[id] else { throw TemporalError.batchNotFound(id.rawValue) }
      if batch.looksLeft > 0 { batch.looksLeft -= 1 }
      world.batches[id] = batch
      if batch.looksLeft > 0 {
        // While it runs, its count grows with the looks taken, as a server's does with time.
        let job = batch.job
        let taken = batchLooks - batch.looksLeft
        return BatchJob(
          id: id, state: .running, operationType: job.operationType, totalCount: job.totalCount,
          completeCount: job.completeCount * taken / max(batchLooks, 1),
          failureCount: 0, identity: job.identity, reason: job.reason, query: job.query,
          startTime: job.startTime,
          closeTime: nil)
      }
      return batch.job
    }
  }

  public func describeWorkflow(id: String, runID: String?) async throws -> WorkflowDescription {
    try tick()
    // Asked outside the lock: what it says may come from elsewhere (another process's journal).
    if let throttled = world.withLock({ $0.throttledReads }), throttled() {
      world.withLock { $0.refusedReads += 1 }
      throw TemporalError.rateLimited(
        call: "DescribeWorkflowExecution", message: "namespace rate limit exceeded")
    }
    return try world.withLock { world in
      let runs = world.executions.filter { $0.workflowID == id }
      guard let run = runID.map({ wanted in runs.first { $0.runID == wanted } }) ?? runs.last else {
        throw TemporalError.workflowNotFound("\(id) \(runID ?? "")")
      }
      // Its own version: under an override, where its last Workflow Task completed.
      let own = run.overrideBuild == nil ? run.build : run.baseBuild
      return WorkflowDescription(
        workflowID: run.workflowID, runID: run.runID, type: run.type, status: run.status,
        versioningBehavior: own == nil ? nil : .pinned,
        deploymentVersion: own.map {
          WorkerDeploymentVersion(deploymentName: deployment, buildID: $0)
        },
        overrideVersion: run.overrideBuild.map {
          WorkerDeploymentVersion(deploymentName: deployment, buildID: $0)
        }, resetRunID: run.resetRunID, pendingTaskAttempt: nil,
        requestIDs: run.requestIDs,
        closeTime: run.status == .running ? nil : UTCTime(millisecondsSinceEpoch: world.serverTime))
    }
  }

  public func resetOrigin(workflowID: String, newRunID: String) async throws -> ResetOrigin? {
    try tick()
    return try world.withLock { world in
      if world.unreadableResetOrigins.contains(workflowID) {
        throw TemporalError.timedOut(call: "GetWorkflowExecutionHistory", seconds: 10)
      }
      return world.executions.first { $0.workflowID == workflowID && $0.runID == newRunID }?
        .resetOrigin
    }
  }

  public func firstEvent(workflowID: String, runID: String) async throws -> FirstEvent {
    try tick()
    return try world.withLock { world in
      if let outage = world.historyOutage {
        if outage.after > 0 {
          world.historyOutage?.after -= 1
        } else {
          world.historyReadsFailed += 1
          throw outage.error
        }
      }
      if world.unreadableFirstEvents.contains(workflowID) {
        throw TemporalError.failed(
          call: "GetWorkflowExecutionHistory", code: "internalError",
          message: "history of \(workflowID) cannot be read")
      }
      guard
        let run = world.executions.first(where: { $0.workflowID == workflowID && $0.runID == runID }
        )
      else {
        throw TemporalError.workflowNotFound("\(workflowID) \(runID)")
      }
      let input = run.input.isEmpty ? "input of \(run.workflowID)" : run.input
      return FirstEvent(
        workflowID: workflowID, runID: runID, workflowType: run.type, taskQueue: "\(deployment)-tq",
        digest: "first-event:\(runID):\(input)", parent: run.parent, callbacks: run.callbacks,
        encoded: Array(input.utf8), startedBy: run.startedBy,
        startedAt: run.startedAt.map(UTCTime.init(millisecondsSinceEpoch:)),
        continuedFrom: run.continuedFrom,
        continuedBy: run.continuedFrom == nil ? nil : "continue-as-new")
    }
  }

  public func pollers(
    of version: WorkerDeploymentVersion, on taskQueues: [VersionDescription.TaskQueue]
  )
    async throws -> [Poller]
  {
    try tick()
    guard version.buildID == bad else {
      let (stopped, now, ttl) = world.withLock {
        ($0.stoppedBuilds[version.buildID], $0.serverTime, $0.pollerTTL)
      }
      if let stopped, now - stopped >= ttl { return [] }
      return [
        Poller(
          identity: "worker-\(version.buildID)", taskQueue: "\(deployment)-tq", version: version,
          lastAccess: stopped.map { UTCTime(millisecondsSinceEpoch: $0) })
      ]
    }
    return world.withLock { $0.listedPollers }.sorted { $0.key < $1.key }.map {
      Poller(
        identity: $0.key, taskQueue: "\(deployment)-tq", version: version,
        lastAccess: UTCTime(millisecondsSinceEpoch: $0.value))
    }
  }

  public func intent(of change: TemporalChange, context: ChangeContext) throws -> ChangeIntent {
    ChangeIntent(command: ["temporal", "\(change)", "--identity", context.identity], request: "{}")
  }

  func summary(of execution: Execution) -> WorkflowExecutionSummary {
    var attributes: [String: SearchAttributeValue] = [:]
    if let build = execution.build {
      attributes["TemporalWorkerDeploymentVersion"] = .string("\(deployment):\(build)")
      attributes["TemporalWorkflowVersioningBehavior"] = .string("Pinned")
    }
    if execution.hasProblems {
      attributes["TemporalReportedProblems"] = .list([.string("category=WorkflowTaskFailed")])
    }
    return WorkflowExecutionSummary(
      workflowID: execution.workflowID, runID: execution.runID, type: execution.type,
      status: execution.status,
      startTime: nil, closeTime: nil, searchAttributes: attributes)
  }
}

extension ScriptedCluster.World {
  /// The executions as visibility shows them now: as they were `visibilityLag` ago (the oldest
  /// snapshot when none is that old), or as they are when visibility does not lag.
  var visible: [ScriptedCluster.Execution] {
    guard visibilityLag > 0, let oldest = snapshots.first else { return executions }
    let seen = serverTime - visibilityLag
    return snapshots.last { $0.at <= seen }?.executions ?? oldest.executions
  }
}
