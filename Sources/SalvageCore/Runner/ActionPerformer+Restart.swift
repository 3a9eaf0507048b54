extension RunbookRunner.ActionPerformer {
  /// Terminate and restart (the runbook's fifth row) for the Running executions of one Workflow
  /// Type: freeze them first (workflow id, run id, the digest of the first event), then, one
  /// run-once action (a round) a chunk, terminate each by run id and start it again from that
  /// frozen set, never from a later query. Children and Nexus-started runs are refused by name
  /// and never terminated.
  mutating func restart(
    _ type: String, decision: StrategyDecided, bad: WorkerDeploymentVersion
  ) async throws -> RunbookRunner.StopReason? {
    var justFrozen: [ExecutionRecord]?
    if state.progress.openRestartFreeze(type) == nil {
      justFrozen = try await freezeRestartTargets(type, bad: bad)
    }
    guard let freeze = state.progress.openRestartFreeze(type) else { return nil }
    let frozen = try justFrozen ?? runner.journal.executions(namedBy: freeze.event)
    let runs = restartChunk(type, of: frozen)
    guard let first = runs.first else { return refusals(type, freeze.frozen) }
    let target = WorkerDeploymentVersion(
      deploymentName: bad.deploymentName, buildID: decision.targetBuild)
    let (id, context) = nextAction(.recover, subject: type)
    // The first run's start stands for the round: every run gets the same request but for its own
    // arguments and request id. A run whose history cannot be read (its own outcome says so)
    // gives way to the next, of the round and then of the freeze.
    // The server's own trouble (out of reach, late, refusing) stops it at once: the next run
    // would fare no better.
    var (event, standing): (FirstEvent?, ExecutionRecord) = (nil, first)
    var unreadable: (any Error)?
    let taken = Set(runs.map(\.runID))
    let perRun = self.perRun
    for run in runs + frozen.filter({ !taken.contains($0.runID) }) {
      do {
        (event, standing) = (
          try await perRun.firstEvent(workflowID: run.workflowID, runID: run.runID), run
        )
        break
      } catch let error as TemporalError where error.isTheRunsOwn {
        unreadable = unreadable ?? error
      }
    }
    guard let event else { throw unreadable ?? RunbookError.noProgress(0) }
    let change = TemporalChange.startAgain(
      event, pinTo: target, requestID: Self.restartRequestID(runner.incident, standing.runID),
      reuse: .allowDuplicateFailedOnly)
    if let declined = try startAction(
      id, .recover, subject: type, safety: .runOnce, change, context: context,
      pace: Self.pace(dependencies.timing) + "; each run terminated, then started again",
    ) {
      return declined
    }
    return try await restartRuns(
      type, action: id, runs: runs, target: target, bad: bad, reconciling: false)
  }

  /// The runs a round of `type` takes: those of its freeze no round since settled, in the frozen
  /// order (by run id), at most a chunk's worth. The same runs again when an interrupted round is
  /// settled, for the rounds before it are all recorded and it has no outcome yet.
  func restartChunk(_ type: String, of frozen: [ExecutionRecord]) -> [ExecutionRecord] {
    let settled = state.progress.settledRestartRuns(type)
    return Array(
      frozen.sorted { $0.runID < $1.runID }.lazy.filter { !settled.contains($0.runID) }.prefix(
        max(dependencies.timing.chunkSize, 1)))
  }

  /// Lists the type's Running executions pinned to the bad build (by name, or by run id when the
  /// name cannot be matched), reads each one's first event, and records the set with the digests,
  /// the refused runs named. Returns the set it froze.
  mutating func freezeRestartTargets(
    _ type: String, bad: WorkerDeploymentVersion
  )
    async throws -> [ExecutionRecord]
  {
    let identified = try identifiedRunning(type)
    let scope = try await recoveryScope(type, bad: bad, identified: identified)
    if scope.byRunID {
      dependencies.notice(.scopedByRunID(workflowType: type, identified: identified.count))
    }
    var found: [ExecutionRecord] = []
    for query in scope.rounds {
      try await temporal.list(query) { found.append(ExecutionRecord($0)) }
    }
    ExecutionRecord.keepLastListing(&found)
    var kept: [ExecutionRecord] = []
    var refused: [RunResetOutcome] = []
    let firsts = try await tellingRefusals("freezing \(type) for its restart") {
      try await firstEvents(of: found)
    }
    for (run, first) in zip(found, firsts) {
      if let refusal = first.refusal {
        refused.append(run.outcome(.leftAlone, refusal))
        continue
      }
      kept.append(run.frozen(firstEvent: first.digest))
    }
    kept.sort { $0.runID < $1.runID }
    let frozen = RestartTargetsFrozen(
      workflowType: type, count: kept.count, refused: refused,
      digest: runner.journal.digest(of: kept))
    try record([.restartTargetsFrozen(frozen)], executions: kept)
    return kept
  }

  /// The first event of each run, in the runs' order, read at the run's pace (a read the
  /// namespace's rate limit refuses is sent again, slower). The first failure is thrown.
  func firstEvents(of runs: [ExecutionRecord]) async throws -> [FirstEvent] {
    let temporal = self.perRun
    return try await paced(runs, width: dependencies.timing.concurrency) {
      run -> Result<FirstEvent, any Error> in
      // Only what is the run's own is kept per run; the server's trouble, a lost hold or a
      // cancellation stops every read.
      do {
        return .success(try await temporal.firstEvent(workflowID: run.workflowID, runID: run.runID))
      } catch let error as TemporalError where error.isTheRunsOwn {
        return .failure(error)
      }
    }.map { try $0.get() }
  }

  /// Checks, terminates and starts again every run of a round under action `id`, then records the
  /// outcomes and the action's end. The same path settles a round whose run died: the check finds
  /// the runs it started by their request ids.
  mutating func restartRuns(
    _ type: String, action id: String, runs: [ExecutionRecord], target: WorkerDeploymentVersion,
    bad: WorkerDeploymentVersion, reconciling: Bool
  ) async throws -> RunbookRunner.StopReason? {
    let temporal = self.perRun
    let incident = runner.incident
    let context = context(id, "restart \(type)").overriding(state.progress.overrides(for: type))
    let timing = dependencies.timing
    let clock = dependencies.clock
    let mayAct = mayAct()
    let outcomes = try await tellingRefusals(id) {
      try await keepingLease {
        try await paced(runs, width: timing.concurrency) { run in
          try await Self.restartOne(
            run, Restart(incident: incident, target: target, bad: bad, closedStatuses: nil),
            context: context,
            temporal: temporal, clock: clock, mayAct: mayAct)
        }
      }
    }
    dependencies.boundary(.afterCall, id)
    // The server's time of the round: when the first run it (or a crashed run of it) replaced closed.
    var startedAt: UTCTime?
    if let moved = outcomes.first(where: {
      $0.result == .restarted || $0.result == .alreadyRestarted
    }) {
      startedAt = try? await temporal.describeWorkflow(id: moved.workflowID, runID: moved.runID)
        .closeTime
    }
    let result = RunsRestarted(
      action: id, workflowType: type, outcomes: outcomes, startedAt: startedAt)
    let summary = IncidentEvent.runsRestarted(result).summary
    let end: IncidentEvent =
      reconciling
      ? .actionReconciled(
        ActionReconciled(
          action: id, tookEffect: true, batchJob: nil,
          evidence: "each run checked against the server: \(summary)"))
      : .actionSucceeded(ActionSucceeded(action: id))
    try record([.runsRestarted(result), end])
    let failed = outcomes.filter { $0.result == .failed }
    if !failed.isEmpty {
      // Only rounds that settled nothing count against the type: a run that fails again and again
      // holds up no round of the others (each round takes it first, then the chunk's rest).
      let settledAny = failed.count < outcomes.count
      failedRounds[type] = settledAny ? 0 : failedRounds[type, default: 0] + 1
      guard !settledAny, failedRounds[type, default: 0] >= Self.failedRoundsPerRun else {
        dependencies.notice(.restartAgain(action: id, failed: failed.count))
        return nil
      }
      let named = failed.prefix(5).map { "\($0.workflowID) (\($0.reason ?? "no reason"))" }.joined(
        separator: "; ")
      return .blocked(
        "restart \(type): \(Self.failedRoundsPerRun) rounds in a row left \(failed.count) runs not restarted: \(named)"
          + (failed.count > 5 ? "; and \(failed.count - 5) more (salvage log)" : "")
          + "; look at why, then run again")
    }
    // The runs the freeze refused are named once its last round has settled the rest.
    guard state.progress.openRestartFreeze(type) == nil else { return nil }
    return refusals(type, state.progress.restartFreezes[type]?.frozen)
  }

  /// Stops the run when the freeze refused runs by name: they stay Running on the bad build, and
  /// drainage waits for them until someone recovers them by hand.
  func refusals(_ type: String, _ frozen: RestartTargetsFrozen?) -> RunbookRunner.StopReason? {
    guard let refused = frozen?.refused, !refused.isEmpty else { return nil }
    let named = refused.prefix(5).map { "\($0.workflowID) (run \($0.runID)): \($0.reason ?? "")" }
    return .blocked(
      "\(type): \(refused.count) Running executions were not restarted: "
        + named.joined(separator: "; ")
        + (refused.count > 5 ? "; and \(refused.count - 5) more (salvage log)" : "")
        + ". Recover them by hand (or decide \(type) again with another strategy), then run again")
  }

  /// The request id of a run's restart: the same in every round and after every crash, so the
  /// workflow id's current run says whether salvage already started it.
  static func restartRequestID(_ incident: IncidentID, _ runID: String) -> String {
    "salvage/\(incident)/restart/\(runID)"
  }
}
