extension RunbookRunner.ActionPerformer {
  /// Launches a batch under a job id derived from the action, then follows it until it finishes.
  mutating func batch(
    _ step: RunbookStep, subject: String?, _ make: (BatchJobID) -> TemporalChange
  ) async throws -> RunbookRunner.StopReason? {
    let outcome = try await change(
      step, subject: subject, safety: .repeatable,
      { context in
        make(BatchJobID(rawValue: context.identity))
      })
    if let outcome { return outcome }
    guard
      let action = state.progress.actions.last(where: { $0.step == step && $0.subject == subject }),
      let job = action.batchJob
    else { return nil }
    try await follow(BatchJobID(rawValue: job), action: action.id)
    // An unpin's failures are counted in its outcome, and the next `salvage unpin` looks again.
    guard let progress = state.progress.batches[action.id], !progress.finishedCleanly, let subject,
      step != .unpin
    else { return nil }
    // Not done: the next round counts the targets again and goes out under a new job id, up to a
    // few rounds a run; then the operator is told what is left.
    failedRounds[subject, default: 0] += 1
    let what =
      progress.state == .failed
      ? "failed as a whole" : "ended with \(progress.failure) of \(progress.total) failed"
    guard failedRounds[subject, default: 0] >= Self.failedRoundsPerRun else {
      dependencies.notice(.roundAgain(progress))
      return nil
    }
    return .blocked(
      "\(step.rawValue) \(subject): \(Self.failedRoundsPerRun) rounds in a row did not take effect on every "
        + "target (the last, batch \(job), \(what))"
        + (try await leftOver(step, subject))
        + "; look at why (temporal batch describe --job-id \(job)), then run again")
  }

  /// Seconds of following a batch between two records of its counts while it runs.
  static let batchProgressInterval = 30.0

  /// Rounds a run sends for one subject that end with failures before it stops and asks.
  static let failedRoundsPerRun = 3

  /// The executions a recovery still has to move, named (the server does not list a batch's failures).
  func leftOver(_ step: RunbookStep, _ subject: String) async throws
    -> String
  {
    guard step == .recover, let details = state.details else { return "" }
    let bad = WorkerDeploymentVersion(deploymentName: details.deployment, buildID: details.badBuild)
    var ids: [String] = []
    let query = VisibilityQuery.all(pinnedRunningClauses(bad) + [.equals(.workflowType, subject)])
    let total = try await temporal.count(query)
    guard total > 0 else { return "; nothing of it is Running on \(bad) now" }
    try await temporal.list(query) { summary in
      if ids.count < 5 { ids.append("\(summary.workflowID) (run \(summary.runID))") }
    }
    return "; \(total) still Running on \(bad): " + ids.joined(separator: ", ")
      + (total > 5 ? ", …" : "")
  }

  /// Polls a batch until it finishes, then records its counts. A batch still running records its
  /// counts at most every ``batchProgressInterval`` of waiting (when they moved, or the first
  /// time), so a watcher, `status` or the next shift reads how far it got from the journal.
  mutating func follow(_ job: BatchJobID, action: String)
    async throws
  {
    var waited = 0.0
    var delay = min(dependencies.timing.firstPoll, dependencies.timing.poll)
    var journaledAt = 0.0
    var journaled: BatchProgressed?
    while true {
      let described = try await temporal.describeBatch(job)
      if !described.state.isFinished, waited - journaledAt >= Self.batchProgressInterval {
        let running = BatchProgressed(
          action: action, batchJob: job.rawValue, finished: false, total: described.totalCount,
          complete: described.completeCount, failure: described.failureCount,
          startedAt: described.startTime)
        if running != journaled {
          try record([.batchProgressed(running)])
          journaled = running
        }
        journaledAt = waited
      }
      if described.state.isFinished {
        let ended: BatchEnd = described.state == .failed ? .failed : .completed
        try record(
          [
            .batchProgressed(
              BatchProgressed(
                action: action, batchJob: job.rawValue, finished: true, total: described.totalCount,
                complete: described.completeCount, failure: described.failureCount,
                startedAt: described.startTime,
                state: ended))
          ]
        )
        return
      }
      guard waited < dependencies.timing.batchTimeout else {
        throw RunbookError.batchTimedOut(job.rawValue)
      }
      dependencies.progress(
        .batch(
          job: job.rawValue, complete: described.completeCount, total: described.totalCount,
          waited: Int(waited)))
      try await dependencies.clock.sleep(for: .seconds(delay))
      waited += delay
      delay = min(delay * 2, dependencies.timing.poll)
      try keepLease()
    }
  }

  /// The frozen closed runs of one chunk.
  func frozenRuns(chunk: Int) throws -> [ExecutionRecord] {
    guard let event = state.progress.closedTargetsEvent else { return [] }
    return try runner.journal.executions(namedBy: event, chunk: chunk)
  }
}
