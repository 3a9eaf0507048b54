extension RunbookRunner.Step {
  /// A change that launches a batch: retried with backoff while another batch holds the
  /// namespace's one batch slot, then followed until it finishes.
  mutating func batch(
    _ step: RunbookStep, subject: String?, safety: SafetyClass, _ change: TemporalChange,
    in state: inout IncidentState
  ) throws -> RunbookRunner.Outcome? {
    var delay = environment.timing.poll
    for attempt in 1... {
      do {
        if let outcome = try self.change(step, subject: subject, safety: safety, change, in: &state) {
          return outcome
        }
        break
      } catch TemporalError.batchLimitReached where attempt < 30 {
        environment.progress("another batch holds this namespace's batch slot; retrying in \(delay) s")
        environment.sleep(delay)
        delay = min(delay * 2, 10)
      }
    }
    guard !dryRun, let action = state.runbook.actions.last(where: { $0.step == step && $0.subject == subject }),
      let job = action.batchJob
    else { return nil }
    try follow(BatchJobID(rawValue: job), action: action.id, in: &state)
    return nil
  }

  /// Polls a batch until it finishes, then records its counts.
  mutating func follow(_ job: BatchJobID, action: String, in state: inout IncidentState) throws {
    var waited = 0.0
    var delay = min(environment.timing.firstPoll, environment.timing.poll)
    while true {
      let described = try temporal.describeBatch(job)
      if described.state.isFinished {
        environment.report(
          "batch \(job): \(described.completeCount)/\(described.totalCount) done"
            + (described.failureCount > 0 ? ", \(described.failureCount) FAILED" : ""))
        try record(
          [.batchProgressed(BatchProgressed(
            action: action, batchJob: job.rawValue, finished: true, total: described.totalCount,
            complete: described.completeCount, failure: described.failureCount))], in: &state)
        return
      }
      guard waited < environment.timing.batchTimeout else { throw RunbookError.batchTimedOut(job.rawValue) }
      environment.progress(
        "batch \(job): \(described.completeCount)/\(described.totalCount) done, waiting (\(Int(waited)) s)")
      environment.sleep(delay)
      waited += delay
      delay = min(delay * 2, environment.timing.poll)
      try keepLease(in: &state)
    }
  }

  /// Asks the server whether an in-doubt run-once action took effect: first by its identity (the
  /// TemporalBatcher search), then, for a closed reset, by the `resetRunId` of its runs.
  mutating func reconcile(_ id: String, in state: inout IncidentState) throws {
    guard let action = state.runbook.actions.first(where: { $0.id == id }) else { return }
    var found: [BatchJobRecord] = []
    // A batch becomes visible to the TemporalBatcher search shortly after launch: look a few times.
    for attempt in 0..<5 {
      found = try temporal.findBatchJobs(identity: action.identity)
      if !found.isEmpty || dryRun { break }
      if attempt < 4 { environment.sleep(1) }
    }
    var tookEffect = !found.isEmpty
    var evidence =
      found.first.map { "batch \($0.id) found by identity \(action.identity)" }
      ?? "no batch with identity \(action.identity) after 5 looks"
    if !tookEffect, action.step == .resetClosed, let chunk = action.subject.flatMap(Int.init) {
      let runs = try frozenRuns(chunk: chunk, in: state)
      let reset = try runs.filter { try temporal.describeWorkflow(id: $0.workflowID, runID: $0.runID).resetRunID != nil }
      evidence += "; \(reset.count) of \(runs.count) runs carry a resetRunId"
      tookEffect = !reset.isEmpty
      if tookEffect, reset.count < runs.count {
        environment.report("warning: chunk \(chunk) was only partly reset; the rest are left for a new action")
      }
    }
    environment.report("\(id) was interrupted; reconciled: \(evidence)")
    if let job = found.first?.id, !dryRun {
      try record(
        [.actionReconciled(ActionReconciled(action: id, tookEffect: true, batchJob: job.rawValue, evidence: evidence))],
        in: &state)
      try follow(job, action: id, in: &state)
      return
    }
    try record(
      [.actionReconciled(ActionReconciled(action: id, tookEffect: tookEffect, batchJob: nil, evidence: evidence))],
      in: &state)
  }

  /// The frozen closed runs of one chunk.
  func frozenRuns(chunk: Int, in state: IncidentState) throws -> [ExecutionRecord] {
    guard let event = state.runbook.closedTargetsEvent else { return [] }
    return try runner.journal.executions(namedBy: event).filter { $0.chunk == chunk }
  }
}
