public import SalvageCore
import Synchronization

/// Setting the scene: the runs, their routing, and what workers and people do to them.
extension ScriptedCluster {
  /// Adds `count` executions of `type` in `status`, pinned to `build` (default: the bad one).
  @discardableResult
  public func add(
    _ type: String, _ status: ExecutionStatus, count: Int, build: String? = nil,
    prefix: String? = nil
  )
    -> [String]
  {
    world.withLock { world in
      (0..<count).map { index in
        world.nextRun += 1
        let id = "\(prefix ?? type.lowercased())-\(index)"
        var added = Execution(
          workflowID: id, runID: world.runID(world.nextRun), type: type, status: status,
          build: build ?? bad,
          hasProblems: status == .running)
        // Started by the application's own client, as its first event records.
        (added.startedBy, added.startedAt) = ("orders-app@app-host", world.serverTime)
        world.executions.append(added)
        return id
      }
    }
  }

  /// Routing: `build` ramping at `percentage` beside the Current Version.
  public func setRamping(_ build: String, percentage: Double) {
    world.withLock { ($0.ramping, $0.percentage) = (build, percentage) }
  }

  /// A person changes the routing by hand (with the `temporal` CLI, say).
  public func route(_ routing: DeploymentRouting) { world.withLock { $0.route(routing) } }

  /// A person changes the routing to `routing` right after the next describe of the deployment
  /// answers, so whatever salvage decides on that answer is already out of date.
  public func routeAfterNextDescribe(_ routing: DeploymentRouting) {
    world.withLock { $0.routeAfterDescribe = routing }
  }

  /// A finished batch the server knows under `id`, with `total` runs done (as if a launch reached
  /// it before a crash).
  public func knowBatch(_ id: String, total: Int = 1) {
    let job = BatchJobID(rawValue: id)
    world.withLock {
      $0.batches[job] = Batch(
        job: BatchJob(
          id: job, state: .completed, operationType: "BATCH_OPERATION_TYPE_RESET",
          totalCount: total, completeCount: total, failureCount: 0, identity: nil, reason: nil,
          query: nil, startTime: nil, closeTime: nil),
        looksLeft: 0)
    }
  }

  /// Makes the run of `workflowID` a child of `parent`, or a Nexus-started run with `callbacks`.
  public func link(_ workflowID: String, parent: String? = nil, callbacks: Int = 0) {
    world.withLock { world in
      for index in world.executions.indices where world.executions[index].workflowID == workflowID {
        world.executions[index].parent = parent
        world.executions[index].callbacks = callbacks
      }
    }
  }

  /// The run of `workflowID` ends in `status` on its own (completes, fails), as a worker would.
  public func end(_ workflowID: String, as status: ExecutionStatus) {
    world.withLock { world in
      if let index = world.executions.lastIndex(where: { $0.workflowID == workflowID }) {
        world.executions[index].status = status
      }
    }
  }

  /// Workers polling the bad version; those left out stop now (see ``rememberPollers(for:)``).
  public func setPollers(_ identities: [String]) {
    world.withLock { world in
      world.noteStopped(world.pollers.filter { !identities.contains($0) })
      world.pollers = identities
      for identity in identities { world.stoppedPollers[identity] = nil }
    }
  }

  /// Run ids made from now on are 36 characters long, as the server's UUIDs are, so a query
  /// naming a few thousand of them is as long as it would be against a real cluster.
  public func useLongRunIDs() { world.withLock { $0.longRunIDs = true } }

  /// Visibility matches no execution of `type` by `WorkflowType = '…'`, as the server's matches no
  /// name it cannot parse back (a Workflow Type holding a double quote).
  public func makeTypeUnmatchable(_ type: String) {
    world.withLock { $0.unmatchableTypes.insert(type) }
  }

  /// Someone resets the run `runID` by hand (with the `temporal` CLI), onto `build`, giving
  /// `reason`.
  public func resetByHand(_ runID: String, onto build: String, reason: String) {
    world.withLock { world in
      guard let index = world.executions.firstIndex(where: { $0.runID == runID }) else { return }
      _ = makeReset(
        of: index, pinTo: build,
        origin: ResetOrigin(
          identity: nil, reason: reason, at: UTCTime(millisecondsSinceEpoch: world.serverTime)),
        in: &world)
    }
  }

  /// Someone (`identity`, their client's) terminates the current run of `workflowID` and starts
  /// it again by hand, on `build`, as `temporal workflow terminate` then `start` would.
  public func restartByHand(_ workflowID: String, onto build: String, identity: String) {
    startNextRun(of: workflowID, closingAs: .terminated) { old, next, now in
      (next.build, next.hasProblems) = (build, false)
      (next.startedBy, next.startedAt) = (identity, now)
    }
  }

  /// The current run of `workflowID` continues as new by itself (the workflow's own
  /// continue-as-new): it closes ContinuedAsNew, and a new Running run on its build goes on.
  public func continueAsNew(_ workflowID: String) {
    startNextRun(of: workflowID, closingAs: .continuedAsNew) { old, next, now in
      (next.startedAt, next.continuedFrom) = (now, old.runID)
    }
  }

  /// Closes the current run of `workflowID` as `status` when it is Running, and starts a new
  /// Running run of it like it (its type, build and input), which `shape` then adjusts, given the
  /// old run and the server's time.
  private func startNextRun(
    of workflowID: String, closingAs status: ExecutionStatus,
    _ shape: (Execution, inout Execution, Int64) -> Void
  ) {
    world.withLock { world in
      guard let index = world.executions.lastIndex(where: { $0.workflowID == workflowID }) else {
        return
      }
      if world.executions[index].status == .running { world.executions[index].status = status }
      let old = world.executions[index]
      world.nextRun += 1
      var next = Execution(
        workflowID: workflowID, runID: world.runID(world.nextRun), type: old.type,
        status: .running, build: old.build, hasProblems: old.hasProblems, input: old.input)
      shape(old, &next, world.serverTime)
      world.executions.append(next)
    }
  }

  /// Someone pins the current run of `workflowID` to `build` with a Versioning Override by hand.
  /// It still reports the bad build until a task completes elsewhere, as the server's does.
  public func pinByOverride(_ workflowID: String, to build: String) {
    world.withLock { world in
      if let index = world.executions.lastIndex(where: { $0.workflowID == workflowID }) {
        if world.executions[index].overrideBuild == nil {
          world.executions[index].baseBuild = world.executions[index].build
        }
        world.executions[index].overrideBuild = build
      }
    }
  }

  /// A Workflow Task of the current run of `workflowID` completes on `build` (its worker reports
  /// Pinned): that becomes its own version, under any override.
  public func completeTask(of workflowID: String, on build: String) {
    world.withLock { world in
      guard let index = world.executions.lastIndex(where: { $0.workflowID == workflowID }) else {
        return
      }
      if world.executions[index].overrideBuild == nil {
        world.executions[index].build = build
      } else {
        world.executions[index].baseBuild = build
      }
    }
  }
}

extension ScriptedCluster.World {
  /// The deployment's routing and manager as a describe reads them.
  var rollout: RolloutObserved {
    get {
      RolloutObserved(
        currentBuild: current, rampingBuild: ramping, rampPercentage: percentage,
        managerIdentity: manager)
    }
    set {
      (current, ramping, percentage, manager) =
        (
          newValue.currentBuild, newValue.rampingBuild, newValue.rampPercentage,
          newValue.managerIdentity
        )
    }
  }

  /// The deployment routes as `routing` says.
  mutating func route(_ routing: DeploymentRouting) {
    (current, ramping, percentage) = (routing.current, routing.ramping, routing.percentage)
  }
}
