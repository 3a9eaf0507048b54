extension RunbookRunner.Step {
  /// Lists the closed runs pinned to the bad build (Failed and TimedOut, the runbook's closed
  /// query), leaves out those already reset, and records the rest in chunks: the frozen target set.
  mutating func freezeClosedTargets(_ bad: WorkerDeploymentVersion, in state: inout IncidentState) throws {
    var candidates: [ExecutionRecord] = []
    try temporal.list(.all([
      .equals(.workerDeploymentVersion, bad.visibilityValue), .isIn(.executionStatus, ["Failed", "TimedOut"]),
    ])) { execution in
      candidates.append(ExecutionRecord(
        workflowID: execution.workflowID, runID: execution.runID, workflowType: execution.type,
        status: execution.status ?? .failed, hasReportedProblems: !execution.reportedProblems.isEmpty))
    }
    var targets: [ExecutionRecord] = []
    var alreadyReset = 0
    let sorted = candidates.sorted(by: { $0.runID < $1.runID })
    let reset = try temporal.describeWorkflows(sorted.map { ($0.workflowID, $0.runID) }).map(\.resetRunID)
    for (run, resetRunID) in zip(sorted, reset) {
      if resetRunID != nil {
        alreadyReset += 1
        continue
      }
      targets.append(ExecutionRecord(
        workflowID: run.workflowID, runID: run.runID, workflowType: run.workflowType, status: run.status,
        hasReportedProblems: run.hasReportedProblems, chunk: targets.count / max(environment.timing.chunkSize, 1)))
    }
    let sizes = Dictionary(grouping: targets, by: { $0.chunk ?? 0 }).sorted { $0.key < $1.key }.map(\.value.count)
    environment.report(
      "closed runs to reset: \(targets.count) in \(sizes.count) chunks (\(alreadyReset) already reset, left out)")
    try record(
      [.closedTargetsFrozen(ClosedTargetsFrozen(
        chunkSizes: sizes, alreadyReset: alreadyReset, digest: runner.journal.digest(of: targets)))],
      executions: targets, in: &state)
  }

  /// Resets one frozen chunk to its first Workflow Task on the good build: run-once, scoped by RunId.
  mutating func resetClosed(_ chunk: Int, good: WorkerDeploymentVersion, in state: inout IncidentState)
    throws -> RunbookRunner.Outcome?
  {
    let runs = try frozenRuns(chunk: chunk, in: state)
    guard !runs.isEmpty else { return .blocked("frozen chunk \(chunk) has no runs in the journal") }
    return try batch(
      .resetClosed, subject: String(chunk), safety: .runOnce,
      .resetWithMove(query: .isIn(.runID, runs.map(\.runID)), target: .firstWorkflowTask, pinTo: good),
      in: &state)
  }

  /// Waits until nothing polls the bad version, telling the operator which workers to stop.
  mutating func waitForPollersGone(_ bad: WorkerDeploymentVersion, in state: inout IncidentState) throws
    -> RunbookRunner.Outcome?
  {
    var waited = 0.0
    var told = false
    while true {
      let identities = try temporal.pollers(of: bad).map(\.identity).sorted()
      if state.runbook.pollers?.identities != identities {
        try record([.pollersChecked(PollersChecked(identities: identities))], in: &state)
      }
      if identities.isEmpty || dryRun { return nil }
      if !told {
        environment.report(
          "stop the workers of \(bad) now: \(identities.joined(separator: ", ")) still poll it; waiting")
        told = true
      }
      guard waited < environment.timing.pollerWait else { return .needsPollersGone(identities) }
      environment.sleep(environment.timing.poll)
      waited += environment.timing.poll
      try keepLease(in: &state)
    }
  }

  /// Deletes the bad version and confirms it is gone, twice, a few seconds apart: a worker still
  /// running would re-create it.
  mutating func deleteVersion(_ bad: WorkerDeploymentVersion, in state: inout IncidentState) throws
    -> RunbookRunner.Outcome?
  {
    do {
      if let outcome = try change(.cleanUp, .deleteVersion(bad), in: &state) { return outcome }
    } catch TemporalError.versionHasPollers {
      return try waitForPollersGone(bad, in: &state)
    }
    for look in 0..<2 {
      do {
        _ = try temporal.describeVersion(bad)
      } catch TemporalError.versionNotFound {
        if look == 0 {
          environment.sleep(3)
          continue
        }
        environment.report("\(bad) is deleted, confirmed by two re-describes")
        try record([.versionDeleted(VersionDeleted(confirmed: true))], in: &state)
        return nil
      }
      let identities = try temporal.pollers(of: bad).map(\.identity).sorted()
      guard !identities.isEmpty else { throw RunbookError.versionReappeared(bad) }
      try record([.pollersChecked(PollersChecked(identities: identities))], in: &state)
      return nil
    }
    return nil
  }
}
