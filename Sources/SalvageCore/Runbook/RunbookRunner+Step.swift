extension RunbookRunner {
  /// Carries out one ``RunbookAction``; `nil` means "go on".
  struct Step {
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
      -> Stop?
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
      case .observeRollout:
        let deployment = try await temporal.describeDeployment(details.deployment)
        // The same reading of a describe the stop change's routing check makes.
        try record([.rolloutObserved(RolloutObserved(deployment))])
      case .claimManager(let holder):
        guard let observed = state.progress.rollout else { return nil }
        guard dependencies.claimManager else {
          return .blocked(
            "Worker Deployment \(details.deployment) is managed by '\(holder)' (its "
              + "manager_identity): only it may change the deployment. Fix the controller's own "
              + "target first (it re-applies it once it manages the deployment again), then run "
              + "'salvage run --claim-manager': salvage takes the manager identity for the incident "
              + "(recorded) and 'salvage close' hands it back to '\(holder)'")
        }
        return try await change(
          .stop, subject: ManagerCustody.claimSubject,
          .setManager(
            deployment: details.deployment, to: ManagerCustody.identity(for: runner.incident),
            replacing: observed))
      case .setCurrentToGood, .zeroRamp, .removeRamp:
        // Decided on this observation: sent only while the deployment still routes so.
        guard let observed = state.progress.rollout else { return nil }
        let stop: TemporalChange =
          switch action {
          case .setCurrentToGood: .setCurrentVersion(good, replacing: observed)
          case .zeroRamp: .setRampingVersion(bad, percentage: 0, replacing: observed)
          default: .removeRamp(deployment: details.deployment, replacing: observed)
          }
        return try await change(.stop, stop)
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

    /// The id, identity and reason of the next action of `step` on `subject`.
    func nextAction(_ step: RunbookStep, subject: String?) -> (
      String, ChangeContext
    ) {
      let id = state.progress.nextActionID(step, subject: subject)
      let context = context(id, Self.what(step, subject: subject))
      // A recovery's overrides are made as its type's decision says.
      guard step == .recover, let type = subject else { return (id, context) }
      return (id, context.overriding(state.progress.overrides(for: type)))
    }

    /// Intent, call, outcome: the one path every change takes. `make` builds the change from the
    /// action's identity (a batch's job id is derived from it), so the id is known before the intent.
    mutating func change(
      _ step: RunbookStep, subject: String? = nil, safety: SafetyClass = .repeatable,
      _ make: (ChangeContext) -> TemporalChange
    ) async throws -> Stop? {
      let (id, context) = nextAction(step, subject: subject)
      let change = make(context)
      if let declined = try startAction(
        id, step, subject: subject, safety: safety, change, context: context,
        pace: change.batchJob == nil ? nil : Self.batcherPace)
      {
        return declined
      }
      let result: ChangeResult
      do {
        result = try await send(change, action: id, context: context)
      } catch TemporalError.routingChanged(let since, let now) {
        // Nothing was sent over someone else's routing: say so, record what the server shows, and
        // decide again from that.
        let message =
          "not sent: " + TemporalError.routingChanged(since: since, now: now).description
        try record(
          [.actionFailed(ActionFailed(action: id, message: message)), .rolloutObserved(now)]
        )
        return nil
      } catch let error as TemporalError {
        // A batch is settled by its job id; another change that may have acted stays in doubt.
        if let job = change.batchJob {
          if try await settle(job, action: id, after: error) { return nil }
        } else if error.mayHaveActed {
          throw error
        }
        try record(
          [.actionFailed(ActionFailed(action: id, message: error.description))])
        throw error
      }
      dependencies.boundary(.afterCall, id)
      var job: String?
      if case .batch(let started, let already) = result {
        job = started.rawValue
        if already {
          dependencies.notice(.batchAlreadyStarted(action: id, batchJob: started.rawValue))
        }
      }
      var events: [IncidentEvent] = [.actionSucceeded(ActionSucceeded(action: id, batchJob: job))]
      // A routing change comes back with the deployment as the wait for it saw it last: that is
      // the observation after the change, recorded with its outcome.
      if case .routed(let deployment) = result {
        events.append(.rolloutObserved(RolloutObserved(deployment)))
      }
      try record(events)
      return nil
    }

    /// Intent before effect: asks to run the change's command, then records its `ActionStarted`
    /// between the before- and after-intent boundaries. Returns `.declined` when the operator
    /// said no (nothing recorded), `nil` when the intent is committed.
    func startAction(
      _ id: String, _ step: RunbookStep, subject: String?, safety: SafetyClass,
      _ change: TemporalChange, context: ChangeContext, pace: String?
    ) throws -> Stop? {
      let intent = try temporal.intent(of: change, context: context)
      guard dependencies.confirm(intent.command) else { return .declined(intent.command) }
      dependencies.boundary(.beforeIntent, id)
      try record(
        [
          .actionStarted(
            ActionStarted(
              action: id, step: step, subject: subject, safety: safety, command: intent.command,
              identity: context.identity, batchJob: change.batchJob?.rawValue,
              request: intent.request, pace: pace))
        ]
      )
      dependencies.boundary(.afterIntent, id)
      return nil
    }

    /// What a batch's record says of its pace.
    static let batcherPace =
      "the server's batcher (worker.batcherRPS, 50 a second by default; servers 1.29 to 1.32 ignore "
      + "max_operations_per_second)"

    /// A change that does not depend on its action's identity.
    mutating func change(
      _ step: RunbookStep, subject: String? = nil, safety: SafetyClass = .repeatable,
      _ change: TemporalChange
    ) async throws -> Stop? {
      try await self.change(step, subject: subject, safety: safety, { _ in change })
    }

    /// Sends a change. A batch refused because the namespace's batch slots are full is sent again
    /// under the same job id after a pause, once a describe of that id shows it did not start.
    func send(
      _ change: TemporalChange, action id: String, context: ChangeContext
    ) async throws -> ChangeResult {
      var delay = dependencies.timing.poll
      for attempt in 1... {
        do {
          return try await temporal.perform(change, context: context)
        } catch TemporalError.batchLimitReached where attempt < 30 {
          if let job = change.batchJob, let found = try? await temporal.describeBatch(job) {
            try checkOwnBatch(found, action: id)
            return .batch(job, alreadyStarted: true)
          }
          dependencies.progress(.batchSlotBusy(retryIn: delay))
          try await dependencies.clock.sleep(for: .seconds(delay))
          delay = min(delay * 2, 10)
        }
      }
      preconditionFailure("the loop returns or throws")
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
