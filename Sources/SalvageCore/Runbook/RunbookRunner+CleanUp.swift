extension RunbookRunner.Step {
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
    let sorted = candidates.sorted(by: { $0.runID < $1.runID })
    // Reads only: bounded by the connection's concurrency, not paced (the resets are).
    let temporal = self.temporal
    let reset = try await paced(
      sorted, width: dependencies.timing.concurrency, perSecond: nil, clock: dependencies.clock
    ) {
      run -> Result<String?, any Error> in
      do {
        return .success(
          try await temporal.describeWorkflow(id: run.workflowID, runID: run.runID).resetRunID)
      } catch {
        return .failure(error)
      }
    }
    // The runs of types that restart: their first events, digested, and children and Nexus-started
    // runs refused by name.
    let restarting = sorted.filter {
      progress.decisions[$0.workflowType]?.strategy.restarts == true
    }
    let read = try await firstEvents(of: restarting)
    let firstEvents = Dictionary(
      zip(restarting.map(\.runID), read), uniquingKeysWith: { first, _ in first })
    var targets: [ExecutionRecord] = []
    var alreadyReset = 0
    var refused: [RunResetOutcome] = []
    for (run, resetRunID) in zip(sorted, reset) {
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
        ExecutionRecord(
          workflowID: run.workflowID, runID: run.runID, workflowType: run.workflowType,
          status: run.status,
          hasReportedProblems: run.hasReportedProblems,
          chunk: targets.count / max(dependencies.timing.chunkSize, 1),
          firstEvent: first?.digest))
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

  /// Waits until nothing polls the bad version, telling the operator which workers to stop.
  mutating func waitForPollersGone(_ bad: WorkerDeploymentVersion)
    async throws
    -> RunbookRunner.Stop?
  {
    var waited = 0.0
    var told = false
    let queues = try await temporal.describeVersion(bad).taskQueues
    while true {
      let identities = try await temporal.pollers(of: bad, on: queues).map(\.identity).sorted()
      if state.progress.pollers?.identities != identities {
        try record([.pollersChecked(PollersChecked(identities: identities))])
      }
      if identities.isEmpty { return nil }
      if !told {
        dependencies.notice(.waitingForPollers(bad, identities: identities))
        told = true
      }
      guard waited < dependencies.timing.pollerWait else { return .needsPollersGone(identities) }
      try await dependencies.clock.sleep(for: .seconds(dependencies.timing.poll))
      waited += dependencies.timing.poll
      try keepLease()
    }
  }

  /// Deletes the bad version and confirms it is gone and cannot come back: a re-describe finds no
  /// version, and no worker polls any of its task queues as that version (only such a worker could
  /// re-create it).
  mutating func deleteVersion(_ bad: WorkerDeploymentVersion)
    async throws
    -> RunbookRunner.Stop?
  {
    let queues: [VersionDescription.TaskQueue]
    do {
      queues = try await temporal.describeVersion(bad).taskQueues
    } catch TemporalError.versionNotFound {
      // Deleted by a run that died before recording it; its pollers were checked gone before.
      try record([.versionDeleted(VersionDeleted(confirmed: true))])
      return nil
    }
    do {
      if let outcome = try await change(.cleanUp, .deleteVersion(bad)) {
        return outcome
      }
    } catch TemporalError.versionHasPollers {
      return try await waitForPollersGone(bad)
    }
    do {
      _ = try await temporal.describeVersion(bad)
    } catch TemporalError.versionNotFound {
      let identities = try await temporal.pollers(of: bad, on: queues).map(\.identity).sorted()
      guard identities.isEmpty else {
        try record([.pollersChecked(PollersChecked(identities: identities))])
        return .needsPollersGone(identities)
      }
      try record([.versionDeleted(VersionDeleted(confirmed: true))])
      return nil
    }
    let identities = try await temporal.pollers(of: bad, on: queues).map(\.identity).sorted()
    guard !identities.isEmpty else { throw RunbookError.versionReappeared(bad) }
    try record([.pollersChecked(PollersChecked(identities: identities))])
    return nil
  }
}
