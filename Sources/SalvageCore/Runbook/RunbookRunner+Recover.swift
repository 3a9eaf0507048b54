extension RunbookRunner.Step {
  /// Recovers the Running executions of one Workflow Type pinned to the bad build, with its decided
  /// strategy. All of them, not only those with reported problems: the filter lags behind
  /// failures, and anything left Running on the bad build keeps it from draining.
  mutating func recover(_ type: String, bad: WorkerDeploymentVersion, in state: inout IncidentState)
    async throws -> RunbookRunner.Stop?
  {
    guard let decision = state.progress.decisions[type] else { return .needsDecision([type]) }
    if decision.strategy.restarts {
      return try await restart(type, decision: decision, bad: bad, in: &state)
    }
    let target = WorkerDeploymentVersion(
      deploymentName: bad.deploymentName, buildID: decision.targetBuild)
    if decision.strategy.needsReplaySafeBuild {
      let queues: [VersionDescription.TaskQueue]
      do {
        queues = try await temporal.describeVersion(target).taskQueues
      } catch TemporalError.versionNotFound {
        return .blocked("the replay-safe build \(target) does not exist: deploy it, then run again")
      }
      if try await temporal.pollers(of: target, on: queues).isEmpty {
        return .blocked(
          "the replay-safe build \(target) has no pollers: start its workers, then run again")
      }
    }
    let identified = try identifiedRunning(type, in: state)
    let query = try await recoveryQuery(type, bad: bad, identified: identified)
    let resetTarget = decision.strategy.resetTarget
    if let outcome = try await batch(
      .recover, subject: type,
      { job in
        resetTarget.map {
          TemporalChange.resetWithMove(query: query, target: $0, pinTo: target, job: job)
        }
          ?? .updateOptions(query: query, pinTo: target, job: job)
      }, in: &state)
    {
      return outcome
    }
    // Never a silent zero: a type with Running executions that no query can select is named.
    let latest = state.progress.actions.last { $0.step == .recover && $0.subject == type }
    if !identified.isEmpty, let latest, let progress = state.progress.batches[latest.id],
      progress.finishedCleanly,
      progress.total == 0,
      try await temporal.count(.all([pinnedRunning(bad), .isIn(.runID, identified.map(\.runID))]))
        > 0
    {
      return .blocked(
        "the recovery of \(type) selected no execution, yet its identified executions are still Running on "
          + "\(bad): recover them by hand (salvage log lists them), then run again")
    }
    return nil
  }

  /// Running executions pinned to the bad build.
  func pinnedRunning(_ bad: WorkerDeploymentVersion) -> VisibilityQuery {
    .all(pinnedRunningClauses(bad))
  }

  func pinnedRunningClauses(_ bad: WorkerDeploymentVersion) -> [VisibilityQuery] {
    [.equals(.workerDeploymentVersion, bad.visibilityValue), .equals(.executionStatus, "Running")]
  }

  /// The identified Running executions of `type`.
  func identifiedRunning(_ type: String, in state: IncidentState) throws -> [ExecutionRecord] {
    guard let event = state.progress.identificationEvent else { return [] }
    return try runner.journal.executions(namedBy: event).filter {
      $0.workflowType == type && $0.status == .running
    }
  }

  /// The type's recovery query: by type name, or, when visibility selects fewer of its executions
  /// that way than identification counted (a name the server cannot match by equality), by their
  /// run ids, still guarded by the version and `Running` so that a repeat stays safe.
  func recoveryQuery(_ type: String, bad: WorkerDeploymentVersion, identified: [ExecutionRecord])
    async throws
    -> VisibilityQuery
  {
    let byName = VisibilityQuery.all(pinnedRunningClauses(bad) + [.equals(.workflowType, type)])
    guard !identified.isEmpty else { return byName }
    let matched = try await temporal.count(byName)
    guard matched < identified.count else { return byName }
    dependencies.notice(
      .scopedByRunID(workflowType: type, matched: matched, identified: identified.count))
    return .all(pinnedRunningClauses(bad) + [.isIn(.runID, identified.map(\.runID))])
  }

  /// Polls drainage until the gate holds: `drained`, checked after the last recovery that moved
  /// something, and nothing Running pinned to the bad build. When it stalls, the repeatable recoveries run again.
  mutating func drain(_ bad: WorkerDeploymentVersion, in state: inout IncidentState) async throws
    -> RunbookRunner.Stop?
  {
    let timing = dependencies.timing
    let pinnedRunning = pinnedRunning(bad)
    var waited = 0.0
    var sinceChange = 0.0
    while true {
      let version = try await temporal.describeVersion(bad)
      let running = try await temporal.count(pinnedRunning)
      let observed = DrainageObserved(
        drainage: version.drainage, checkedAt: version.drainageCheckedAt,
        runningPinned: running)
      if observed != state.progress.drainage {
        try record([.drainageObserved(observed)], in: &state)
        sinceChange = 0
      }
      if state.phase == .drained {
        dependencies.notice(.drained(bad))
        return nil
      }
      if running > 0, sinceChange >= timing.stall {
        dependencies.notice(.drainageStalled(seconds: Int(sinceChange)))
        for type in state.progress.identification?.runningTypes ?? [] {
          let left = try await temporal.count(.all([pinnedRunning, .equals(.workflowType, type)]))
          if left > 0, let outcome = try await recover(type, bad: bad, in: &state) {
            return outcome
          }
        }
        sinceChange = 0
      }
      guard waited < timing.drainTimeout else {
        throw RunbookError.drainTimedOut(
          seconds: waited, observed, lastRecoveryAt: state.progress.lastRecoveryAt)
      }
      if Int(waited) % 10 == 0, waited > 0 {
        dependencies.progress(
          .drainage(observed.drainage, runningPinned: running, waited: Int(waited)))
      }
      try await dependencies.clock.sleep(for: .seconds(timing.poll))
      waited += timing.poll
      sinceChange += timing.poll
      try keepLease(in: &state)
    }
  }
}

extension DrainageObserved {
  /// The drainage as a timeout names it, saying so when the `drained` check is older than the
  /// last recovery (the server does not check again once it reports `drained`).
  public func described(after lastRecovery: UTCTime?) -> String {
    guard drainage == .drained, let lastRecovery, let checkedAt, checkedAt <= lastRecovery else {
      return drainage.name
    }
    return "drained, but last checked at \(checkedAt), before the last recovery at \(lastRecovery)"
  }
}
