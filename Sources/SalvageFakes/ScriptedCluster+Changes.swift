public import SalvageCore
import Synchronization

extension ScriptedCluster {
  public func perform(_ change: TemporalChange, context: ChangeContext) async throws -> ChangeResult
  {
    try tick()
    try world.withLock { world in
      guard let error = world.failNextChange else { return }
      world.failNextChange = nil
      throw error
    }
    let action = String(context.identity.split(separator: "/").last ?? "")
    // A scripted crash mid-call: the request reaches the server (and takes effect) or is lost.
    let dies: Bool? = world.withLock { world in
      guard let crash = world.midCall, crash.action == action else { return nil }
      world.callsOfAction[action, default: 0] += 1
      guard world.callsOfAction[action] == crash.nth else { return nil }
      world.midCall = nil
      return crash.delivered
    }
    if dies == false {
      crash.trip()
      throw CrashSwitch.Crashed()
    }
    let late: String? = world.withLock { world in
      if change.batchJob != nil, let late = world.lateLaunch, late.action == action {
        world.lateLaunch = nil
        world.pendingLaunches.append((world.serverTime + late.seconds, change, context))
        return "StartBatchOperation"
      }
      if case .resetRun(_, let runID, _, _) = change,
        let late = world.lateResets.removeValue(forKey: runID)
      {
        world.pendingLaunches.append(
          (world.serverTime + late.delay, change, late.instead ?? context))
        return "ResetWorkflowExecution"
      }
      return nil
    }
    if let late {
      // The server took it and acts later; a process scripted to die once it is delivered dies.
      if dies == true {
        crash.trip()
        throw CrashSwitch.Crashed()
      }
      throw TemporalError.timedOut(call: late, seconds: 60)
    }
    let refusal: TemporalError? = world.withLock { world in
      if change.isPerRun, let throttled = world.throttled, throttled() {
        return .rateLimited(
          call: "ResetWorkflowExecution", message: "namespace rate limit exceeded")
      }
      guard change.isPerRun, world.rateLimitEvery > 0 else { return nil }
      world.perRunCalls += 1
      return world.perRunCalls % world.rateLimitEvery == 0 ? world.perRunRefusal : nil
    }
    if let refusal { throw refusal }
    let result = try world.withLock { world in try apply(change, context: context, in: &world) }
    let (happen, lose): ((@Sendable () -> Void)?, Bool) = world.withLock { world in
      guard change.isPerRun else { return (nil, false) }
      world.runChanges += 1
      let lose = world.loseAnswerOfRunChange == world.runChanges
      guard let after = world.afterRunChange, world.runChanges == after.nth else {
        return (nil, lose)
      }
      world.afterRunChange = nil
      return (after.happen, lose)
    }
    if dies == true {
      crash.trip()
      throw CrashSwitch.Crashed()
    }
    happen?()
    if lose { throw TemporalError.timedOut(call: "a per-run change", seconds: 10) }
    return result
  }

  func apply(_ change: TemporalChange, context: ChangeContext, in world: inout World) throws
    -> ChangeResult
  {
    try change.checkRouting(
      against: DeploymentDescription(
        name: deployment, currentBuildID: world.current, rampingBuildID: world.ramping,
        rampPercentage: world.percentage, versions: [], managerIdentity: world.manager))
    // As the server: only the manager identity, when one is set, may change the deployment; anyone
    // may set the manager.
    if change.changesDeployment, let manager = world.manager, manager != context.deploymentIdentity
    {
      throw TemporalError.managedBy(deployment: deployment, identity: manager)
    }
    world.changes.append(change)
    world.contexts.append(context)
    // Routed by the rule the dry run's planner follows too.
    if let next = world.rollout.after(change) {
      world.rollout = next
      if case .setManager = change { return .done }
      return .routed(description(in: &world))
    }
    switch change {
    case .updateOptions(let query, let target, let job):
      return try startBatch(
        job, query: query, type: "BATCH_OPERATION_TYPE_UPDATE_EXECUTION_OPTIONS",
        reason: context.reason, in: &world
      ) {
        index, world in
        // Pinned by the override; its own version stays where its last task completed.
        if world.executions[index].overrideBuild == nil {
          world.executions[index].baseBuild = world.executions[index].build
        }
        world.executions[index].build = target.buildID
        world.executions[index].overrideBuild = target.buildID
      }
    case .unpin(let query, _, let job):
      return try startBatch(
        job, query: query, type: "BATCH_OPERATION_TYPE_UPDATE_EXECUTION_OPTIONS",
        reason: context.reason, in: &world
      ) {
        index, world in
        // Back on its own version; with none yet, it goes where the deployment routes new work.
        guard world.executions[index].overrideBuild != nil else { return }
        world.executions[index].build = world.executions[index].baseBuild ?? world.current
        world.executions[index].overrideBuild = nil
        world.executions[index].baseBuild = nil
      }
    case .resetWithMove(let query, _, let target, let job):
      return try startBatch(
        job, query: query, type: "BATCH_OPERATION_TYPE_RESET", reason: context.reason, in: &world
      ) {
        index, world in
        _ = makeReset(of: index, pinTo: target.buildID, origin: origin(context, world), in: &world)
        world.executions[index].status = .terminated
        if !world.batchResetsNameNewRun { world.executions[index].resetRunID = nil }
      }
    case .resetRun(let workflowID, let runID, let target, _):
      guard
        let index = world.executions.firstIndex(where: {
          $0.workflowID == workflowID && $0.runID == runID
        })
      else {
        throw TemporalError.workflowNotFound("\(workflowID) \(runID)")
      }
      if let message = world.refuseReset.removeValue(forKey: runID) {
        throw TemporalError.failed(
          call: "ResetWorkflowExecution", code: "failedPrecondition", message: message)
      }
      return .reset(
        newRunID: makeReset(
          of: index, pinTo: target.buildID, origin: origin(context, world), in: &world))
    case .deleteVersion(let version):
      try refuseDelete(of: version, in: &world)
      let pinned = world.executions.filter { $0.build == version.buildID && $0.status == .running }
      world.deletions.append(
        VersionDeletion(
          build: version.buildID, at: UTCTime(millisecondsSinceEpoch: world.serverTime),
          drainage: drainage(of: version.buildID, in: &world).0, pinnedRunning: pinned.count))
      world.builds.removeAll { $0 == version.buildID }
    case .terminateRun(let workflowID, let runID):
      guard
        let index = world.executions.firstIndex(where: {
          $0.workflowID == workflowID && $0.runID == runID
        }),
        world.executions[index].status == .running
      else {
        throw TemporalError.workflowNotFound(
          "workflow execution already completed: \(workflowID) \(runID)")
      }
      world.executions[index].status = .terminated
    case .startAgain(let first, let target, let requestID, let reuse):
      return .started(
        newRunID: try start(
          first, pinTo: target.buildID, requestID: requestID, reuse: reuse, in: &world))
    case .setCurrentVersion, .setRampingVersion, .removeRamp, .setManager:
      break  // routed above
    }
    return .done
  }

  /// Refuses a version's delete as the server does: while pollers are listed, and while it is
  /// draining (on the server's clocks: as recorded; otherwise while anything Running is pinned).
  func refuseDelete(of version: WorkerDeploymentVersion, in world: inout World) throws {
    guard world.listedPollers.isEmpty else { throw TemporalError.versionHasPollers("\(version)") }
    let draining =
      version.buildID == bad && world.drainageClock != nil
      ? world.drainageClock?.status == .draining
      : world.executions.contains { $0.build == version.buildID && $0.status == .running }
    if draining {
      throw TemporalError.failed(
        call: "DeleteWorkerDeploymentVersion", code: "failedPrecondition",
        message: "version '\(version)' cannot be deleted since it is draining")
    }
  }
}
