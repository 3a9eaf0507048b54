/// Settling what a crash or a lost answer left in doubt, from the server's strongly consistent reads.
extension RunbookRunner.ActionPerformer {
  /// Settles an action left in doubt by a crash, from the server's strongly consistent reads: a
  /// batch by `DescribeBatchOperation` of its job id, a closed-reset chunk by checking each run.
  mutating func reconcile(
    _ id: String, bad: WorkerDeploymentVersion, good: WorkerDeploymentVersion
  ) async throws -> RunbookRunner.StopReason? {
    guard let action = state.progress.actions.first(where: { $0.id == id }) else { return nil }
    if let job = action.batchJob.map(BatchJobID.init(rawValue:)) {
      // Its launch may have been sent just before the crash, its answer lost: until the launch's
      // deadline has passed (on the journal's clock) the server may still start it.
      let window = dependencies.timing.lostAnswerWindow
      let age = state.lastEventAt.map {
        Double($0.millisecondsSinceEpoch - action.startedAt.millisecondsSinceEpoch) / 1000
      }
      if let described = try await batchStarts(
        job, within: max(0, window - (age ?? 0)))
      {
        try checkOwnBatch(described, action: id)
        let evidence = "DescribeBatchOperation(\(job)): \(described.state)"
        try record(
          [
            .actionReconciled(
              ActionReconciled(
                action: id, tookEffect: true, batchJob: job.rawValue, evidence: evidence))
          ]
        )
        try await follow(job, action: id)
        return nil
      }
      let retention = try await temporal.describeNamespace().retentionSeconds
      guard let age, age < retention else {
        return .blocked(
          "\(id)'s batch \(job) is unknown to the server, but the action is older than the namespace's "
            + "retention (\(Int(retention)) s), so that does not prove it never ran: check by hand, then "
            + "record it with salvage note and close or re-open the incident")
      }
      let evidence =
        "DescribeBatchOperation(\(job)): NOT_FOUND, within the namespace's retention and past "
        + "the \(Int(window)) s a launch whose answer was lost may still start in"
      try record(
        [
          .actionReconciled(
            ActionReconciled(action: id, tookEffect: false, batchJob: nil, evidence: evidence))
        ]
      )
      return nil
    }
    if action.step == .recover, action.safety == .runOnce, let type = action.subject,
      let freeze = state.progress.openRestartFreeze(type),
      let decision = state.progress.roundDecisions[id] ?? state.progress.decisions[type]
    {
      dependencies.notice(.checkingEachRun(action: id))
      let target = WorkerDeploymentVersion(
        deploymentName: bad.deploymentName, buildID: decision.targetBuild)
      return try await restartRuns(
        type, action: id,
        runs: restartChunk(type, of: try runner.journal.executions(namedBy: freeze.event)),
        target: target, bad: bad,
        reconciling: true)
    }
    if action.step == .resetClosed, let chunk = action.subject.flatMap(Int.init) {
      dependencies.notice(.checkingEachRun(action: id))
      return try await resetRuns(
        chunk, action: id, bad: bad, good: good, reconciling: true)
    }
    try record(
      [
        .actionReconciled(
          ActionReconciled(
            action: id, tookEffect: false, batchJob: nil,
            evidence: "nothing on the server to look at"))
      ]
    )
    return nil
  }

  /// After a batch launch failed: its job id says whether it started. Returns true when it did
  /// (the action succeeded), false when the server does not know the job (it never started).
  /// When the answer was lost (the server may have acted), the server may still start it until
  /// the launch's deadline has passed: its job id is looked up until
  /// ``RunbookRunner/Timing/lostAnswerWindow`` is over before "never started" is concluded.
  func settle(
    _ job: BatchJobID, action id: String, after error: TemporalError
  ) async throws -> Bool {
    // A launch never sent (no connection) cannot start later: one look settles it.
    let window = error.mayHaveActed ? dependencies.timing.lostAnswerWindow : 0
    guard let found = try await batchStarts(job, within: window) else {
      if case .alreadyExists = error { throw RunbookError.batchNeverStarted(job.rawValue) }
      return false
    }
    try checkOwnBatch(found, action: id)
    dependencies.notice(
      .launchAnsweredButBatchExists(
        action: id, batchJob: job.rawValue, answer: String(describing: error)))
    try record(
      [.actionSucceeded(ActionSucceeded(action: id, batchJob: job.rawValue))])
    return true
  }

  /// Batch `job` as the server knows it, looking again until `seconds` have passed; `nil` when
  /// it does not know it by then.
  func batchStarts(_ job: BatchJobID, within seconds: Double)
    async throws -> BatchJob?
  {
    var waited = 0.0
    while true {
      do {
        return try await temporal.describeBatch(job)
      } catch TemporalError.batchNotFound {
        guard waited < seconds else { return nil }
      }
      try await dependencies.clock.sleep(for: .seconds(dependencies.timing.poll))
      waited += dependencies.timing.poll
      try keepLease()
    }
  }
}
