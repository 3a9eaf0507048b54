extension RunbookRunner.ActionPerformer {
  /// Lists the closed runs pinned to the bad build in the statuses chosen for their Workflow Type
  /// (Failed and TimedOut, the runbook's closed query, for a type without a choice), leaves out
  /// those already reset, and records the rest in chunks: the frozen target set.
  mutating func freezeClosedTargets(_ bad: WorkerDeploymentVersion)
    async throws
  {
    var candidates: [ExecutionRecord] = []
    let progress = state.progress
    try await temporal.list(
      .all([
        .equals(.workerDeploymentVersion, bad.visibilityValue),
        .isIn(.executionStatus, progress.anyClosedStatuses.map(\.rawValue)),
      ])
    ) { execution in
      // One query for every type, then each run kept only in a status chosen for its own type.
      guard let status = execution.status,
        progress.closedStatuses(for: execution.type).contains(status)
      else { return }
      candidates.append(
        ExecutionRecord(
          workflowID: execution.workflowID, runID: execution.runID, workflowType: execution.type,
          status: status, hasReportedProblems: !execution.reportedProblems.isEmpty))
    }
    ExecutionRecord.keepLastListing(&candidates)  // in place: a frozen set is not held twice
    // Reads at the run's pace: a read the namespace's rate limit refuses is sent again, slower
    // (and no more once the incident is taken over).
    let temporal = self.perRun
    // The runs of types that restart: their first events, digested, and children and Nexus-started
    // runs refused by name.
    let restarting = candidates.filter {
      progress.decisions[$0.workflowType]?.strategy.restarts == true
    }
    let width = dependencies.timing.concurrency
    let (reset, read): ([Result<String?, any Error>], [FirstEvent]) = try await tellingRefusals(
      "freezing the closed runs"
    ) {
      try await keepingLease {
        let reset = try await paced(candidates, width: width) {
          run -> Result<String?, any Error> in
          // Only what is the run's own is kept per run; the server's trouble, a lost hold or a
          // cancellation stops every read.
          do {
            return .success(
              try await temporal.describeWorkflow(id: run.workflowID, runID: run.runID).resetRunID)
          } catch let error as TemporalError where error.isTheRunsOwn {
            return .failure(error)
          }
        }
        return (reset, try await self.firstEvents(of: restarting))
      }
    }
    let firstEvents = Dictionary(
      zip(restarting.map(\.runID), read), uniquingKeysWith: { first, _ in first })
    var targets: [ExecutionRecord] = []
    var alreadyReset = 0
    var refused: [RunResetOutcome] = []
    for (run, resetRunID) in zip(candidates, reset) {
      if try resetRunID.get() != nil {
        alreadyReset += 1
        continue
      }
      let first = firstEvents[run.runID]
      if let refusal = first?.refusal {
        refused.append(run.outcome(.leftAlone, refusal))
        continue
      }
      targets.append(
        run.frozen(
          chunk: targets.count / max(dependencies.timing.chunkSize, 1), firstEvent: first?.digest))
    }
    let sizes = Dictionary(grouping: targets, by: { $0.chunk ?? 0 }).sorted { $0.key < $1.key }.map(
      \.value.count)
    try record(
      [
        .closedTargetsFrozen(
          ClosedTargetsFrozen(
            chunkSizes: sizes, alreadyReset: alreadyReset,
            digest: runner.journal.digest(of: targets),
            refusedRestarts: restarting.isEmpty ? nil : refused))
      ],
      executions: targets)
  }

  /// Resets one frozen chunk, run by run (run-once): intent first, then each run checked against
  /// the server just before it is reset, then every outcome journaled together.
  mutating func resetClosed(
    _ chunk: Int, bad: WorkerDeploymentVersion, good: WorkerDeploymentVersion
  ) async throws -> RunbookRunner.StopReason? {
    let runs = try frozenRuns(chunk: chunk)
    guard let first = runs.first else {
      return .blocked("frozen chunk \(chunk) has no runs in the journal")
    }
    let (id, context) = nextAction(.resetClosed, subject: String(chunk))
    // The first run's reset stands for the chunk: every run gets the same request but for its ids.
    let change = TemporalChange.resetRun(
      workflowID: first.workflowID, runID: first.runID, pinTo: good,
      requestID: "\(context.identity)/\(first.runID)")
    if let declined = try startAction(
      id, .resetClosed, subject: String(chunk), safety: .runOnce, change, context: context,
      pace: Self.pace(dependencies.timing))
    {
      return declined
    }
    return try await resetRuns(
      chunk, action: id, bad: bad, good: good, reconciling: false)
  }

  /// What a run-by-run action's record says of its pace.
  static func pace(_ timing: RunbookRunner.Timing) -> String {
    "salvage, at most \(number(timing.callsPerSecond)) calls a second (--rps), as many at once "
      + "as the server answers quickly (at most \(timing.concurrency))"
  }

  static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  /// Checks and resets every run of a chunk under action `id`, then records the outcomes and the
  /// action's end. The same path settles a chunk whose run died: the check finds what it reset.
  mutating func resetRuns(
    _ chunk: Int, action id: String, bad: WorkerDeploymentVersion, good: WorkerDeploymentVersion,
    reconciling: Bool
  ) async throws -> RunbookRunner.StopReason? {
    let runs = try frozenRuns(chunk: chunk)
    let temporal = self.perRun
    let context = context(id, Self.what(.resetClosed, subject: String(chunk)))
    let timing = dependencies.timing
    let clock = dependencies.clock
    // The statuses chosen for each run's type, read once: the check holds every run to its own.
    let progress = state.progress
    let resettable = Dictionary(
      Set(runs.map(\.workflowType)).map { ($0, progress.closedStatuses(for: $0)) },
      uniquingKeysWith: { $1 })
    // Runs of a type that restarts are started again from their first event, pinned to its target.
    let restarts: [String: Restart] = Dictionary(
      progress.decisions.values.filter(\.strategy.restarts).map { decision in
        (
          decision.workflowType,
          Restart(
            incident: runner.incident,
            target: WorkerDeploymentVersion(
              deploymentName: bad.deploymentName, buildID: decision.targetBuild), bad: bad,
            closedStatuses: progress.closedStatuses(for: decision.workflowType))
        )
      }, uniquingKeysWith: { $1 })
    let mayAct = mayAct()
    if reconciling {
      try await waitOutLostResets(
        runs.filter { restarts[$0.workflowType] == nil }, action: id, resettable: resettable,
        bad: bad)
    }
    let outcomes = try await tellingRefusals(id) {
      try await keepingLease {
        try await paced(runs, width: timing.concurrency) { run in
          if let restart = restarts[run.workflowType] {
            return try await Self.restartOne(
              run, restart, context: context, temporal: temporal, clock: clock, mayAct: mayAct)
          }
          return try await Self.resetOne(
            run, resettable: resettable[run.workflowType] ?? ClosedStatuses.default, bad: bad,
            good: good,
            context: context, temporal: temporal, clock: clock, timing: timing, mayAct: mayAct)
        }
      }
    }
    dependencies.boundary(.afterCall, id)
    let result = ClosedRunsReset(action: id, chunk: chunk, outcomes: outcomes)
    let end: IncidentEvent =
      reconciling
      ? .actionReconciled(
        ActionReconciled(
          action: id, tookEffect: true, batchJob: nil,
          evidence:
            "each run checked against the server: \(IncidentEvent.closedRunsReset(result).summary)")
      )
      : .actionSucceeded(ActionSucceeded(action: id))
    try record([.closedRunsReset(result), end])
    let failed = outcomes.filter { $0.result == .failed }
    guard failed.isEmpty else {
      let named = failed.prefix(5).map { "\($0.workflowID) (\($0.reason ?? "no reason"))" }.joined(
        separator: "; ")
      return .blocked(
        "\(failed.count) closed runs of chunk \(chunk) could not be reset: \(named)"
          + (failed.count > 5 ? "; and \(failed.count - 5) more (salvage log)" : ""))
    }
    return nil
  }
}
