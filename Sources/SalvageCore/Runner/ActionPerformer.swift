extension RunbookRunner {
  /// Carries out one ``RunbookAction``: `perform` hands it to the file of its runbook step
  /// (`ActionPerformer+StopRollout`, `+Identify`, `+AutomaticDecisions`, `+Recover`, `+Drain`,
  /// `+ResetClosed` with `+ResetClosedRun`, `+Restart` with `+RestartOne`, `+CleanUp`; `+Unpin`
  /// for `salvage unpin`; `+InDoubt` settles what a crash left), and every change to Temporal goes
  /// through `+Change`: intent, call, outcome. `nil` from `perform` means "go on".
  struct ActionPerformer {
    let runner: RunbookRunner
    /// Recovery rounds that ended with failures in this run, per Workflow Type.
    var failedRounds: [String: Int] = [:]

    var dependencies: Dependencies { runner.dependencies }
    var temporal: any TemporalClient { runner.temporal }
    /// The same port for per-run work, every call paced by the run's one ``CallLimiter``.
    var perRun: PerRunTemporalClient { runner.perRun }

    /// `work` (an action's per-run calls), then a notice when the namespace's rate limit
    /// refused some of them and salvage slowed down.
    func tellingRefusals<Result>(_ action: String, _ work: () async throws -> Result)
      async rethrows -> Result
    {
      let before = await runner.limiter.reading.refused
      let result = try await work()
      let after = await runner.limiter.reading
      if after.refused > before {
        dependencies.notice(
          .slowedByRateLimit(action: action, refused: after.refused - before, pace: after))
      }
      return result
    }

    mutating func perform(_ action: RunbookAction) async throws
      -> StopReason?
    {
      guard let details = state.details else {
        throw RunbookError.incidentNotOpened(runner.incident)
      }
      let bad = WorkerDeploymentVersion(
        deploymentName: details.deployment, buildID: details.badBuild)
      let good = WorkerDeploymentVersion(
        deploymentName: details.deployment, buildID: details.goodBuild)
      switch action {
      case .finished: return .finished
      case .closed: return .closed
      case .awaitDecision(let types):
        let decided = try await decideAutomatically(types, details: details, bad: bad)
        guard !decided.isEmpty else { return .needsDecision(types) }
        try record(decided.map(IncidentEvent.strategyDecided))
      case .observeRollout, .claimManager, .setCurrentToGood, .zeroRamp, .removeRamp:
        return try await stopRollout(action, details: details, bad: bad, good: good)
      case .abandon(let id):
        try record(
          [
            .actionAbandoned(
              ActionAbandoned(action: id, reason: "in doubt after an interrupted run; repeatable"))
          ]
        )
      case .reconcile(let id):
        return try await reconcile(id, bad: bad, good: good)
      case .followBatch(let id):
        guard let job = state.progress.actions.first(where: { $0.id == id })?.batchJob else {
          return nil
        }
        dependencies.notice(.followingBatch(action: id, batchJob: job))
        try await follow(BatchJobID(rawValue: job), action: id)
      case .identify:
        try await identify(bad)
      case .recover(let type):
        return try await recover(type, bad: bad)
      case .drain:
        return try await drain(bad)
      case .freezeClosedTargets:
        try await freezeClosedTargets(bad)
      case .resetClosed(let chunk):
        return try await resetClosed(chunk, bad: bad, good: good)
      case .checkPollers:
        return try await waitForPollersGone(bad)
      case .deleteVersion:
        return try await deleteVersion(bad)
      }
      return nil
    }

    /// Runs `body` while a side task renews the lease whenever half of it is gone, so one long
    /// call (a chunk of 500 closed resets at `--rps 1` takes over 8 minutes) keeps the incident
    /// and a second run still finds it held. The journal's state is adopted afterwards, and this
    /// run's hold checked on it, so nothing is recorded for an action whose incident was taken
    /// meanwhile.
    func keepingLease<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
      let owner = runner.owner
      guard let lease = owner.lease else { return try await body() }
      let clock = dependencies.clock
      let renewer = Task {
        while !Task.isCancelled {
          try? await clock.sleep(for: .seconds(max(lease.seconds / 4, 0.25)))
          await Task.yield()
          guard !Task.isCancelled else { break }
          try? owner.keepLease()
        }
      }
      let result: Result
      do {
        result = try await body()
      } catch {
        renewer.cancel()
        await renewer.value
        throw error
      }
      renewer.cancel()
      await renewer.value
      try owner.adopt()
      try owner.checkHold()
      return result
    }

    /// The incident as this run's owner has it now.
    var state: IncidentState { runner.owner.state }

    /// Renews the lease when it is due, so a long wait keeps the incident.
    func keepLease() throws { try runner.owner.keepLease() }

    /// Appends events through the incident's owner. `executions` are stored beside the first
    /// event, in the same transaction.
    func record(_ events: [IncidentEvent], executions: [ExecutionRecord]? = nil) throws {
      try runner.owner.record(events, executions: executions)
    }

  }
}
