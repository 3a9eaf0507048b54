extension RunbookRunner {
  /// Carries out one ``RunbookAction``; `nil` means "go on".
  struct Step {
    let runner: RunbookRunner
    /// Recovery rounds that ended with failures in this run, per Workflow Type.
    var failedRounds: [String: Int] = [:]

    var dependencies: Dependencies { runner.dependencies }
    var temporal: any TemporalClient { runner.temporal }

    mutating func perform(_ action: RunbookAction, in state: inout IncidentState) async throws
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
        try record(decided.map(IncidentEvent.strategyDecided), in: &state)
      case .observeRollout:
        let deployment = try await temporal.describeDeployment(details.deployment)
        // The same reading of a describe the stop change's routing check makes.
        try record([.rolloutObserved(RolloutObserved(deployment))], in: &state)
      case .setCurrentToGood, .zeroRamp, .removeRamp:
        // Decided on this observation: sent only while the deployment still routes so.
        guard let observed = state.progress.rollout else { return nil }
        let stop: TemporalChange =
          switch action {
          case .setCurrentToGood: .setCurrentVersion(good, replacing: observed)
          case .zeroRamp: .setRampingVersion(bad, percentage: 0, replacing: observed)
          default: .removeRamp(deployment: details.deployment, replacing: observed)
          }
        return try await change(.stop, stop, in: &state)
      case .abandon(let id):
        try record(
          [
            .actionAbandoned(
              ActionAbandoned(action: id, reason: "in doubt after an interrupted run; repeatable"))
          ],
          in: &state)
      case .reconcile(let id):
        return try await reconcile(id, bad: bad, good: good, in: &state)
      case .followBatch(let id):
        guard let job = state.progress.actions.first(where: { $0.id == id })?.batchJob else {
          return nil
        }
        dependencies.notice(.followingBatch(action: id, batchJob: job))
        try await follow(BatchJobID(rawValue: job), action: id, in: &state)
      case .identify:
        try await identify(bad, in: &state)
      case .recover(let type):
        return try await recover(type, bad: bad, in: &state)
      case .drain:
        return try await drain(bad, in: &state)
      case .freezeClosedTargets:
        try await freezeClosedTargets(bad, in: &state)
      case .resetClosed(let chunk):
        return try await resetClosed(chunk, bad: bad, good: good, in: &state)
      case .checkPollers:
        return try await waitForPollersGone(bad, in: &state)
      case .deleteVersion:
        return try await deleteVersion(bad, in: &state)
      }
      return nil
    }

    /// The id, identity and reason of the next action of `step` on `subject`.
    func nextAction(_ step: RunbookStep, subject: String?, in state: IncidentState) -> (
      String, ChangeContext
    ) {
      let id = state.progress.nextActionID(step, subject: subject)
      return (id, context(id, Self.what(step, subject: subject), in: state))
    }

    /// Intent, call, outcome: the one path every change takes. `make` builds the change from the
    /// action's identity (a batch's job id is derived from it), so the id is known before the intent.
    mutating func change(
      _ step: RunbookStep, subject: String? = nil, safety: SafetyClass = .repeatable,
      _ make: (ChangeContext) -> TemporalChange, in state: inout IncidentState
    ) async throws -> Stop? {
      let (id, context) = nextAction(step, subject: subject, in: state)
      let change = make(context)
      if let declined = try startAction(
        id, step, subject: subject, safety: safety, change, context: context,
        pace: change.batchJob == nil ? nil : Self.batcherPace, in: &state)
      {
        return declined
      }
      let result: ChangeResult
      do {
        result = try await send(change, action: id, context: context, in: state)
      } catch TemporalError.routingChanged(let since, let now) {
        // Nothing was sent over someone else's routing: say so, record what the server shows, and
        // decide again from that.
        let message =
          "not sent: " + TemporalError.routingChanged(since: since, now: now).description
        try record(
          [.actionFailed(ActionFailed(action: id, message: message)), .rolloutObserved(now)],
          in: &state)
        return nil
      } catch let error as TemporalError {
        // A batch is settled by its job id; another change that may have acted stays in doubt.
        if let job = change.batchJob {
          if try await settle(job, action: id, after: error, in: &state) { return nil }
        } else if error.mayHaveActed {
          throw error
        }
        try record(
          [.actionFailed(ActionFailed(action: id, message: error.description))], in: &state)
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
      try record([.actionSucceeded(ActionSucceeded(action: id, batchJob: job))], in: &state)
      return nil
    }

    /// Intent before effect: asks to run the change's command, then records its `ActionStarted`
    /// between the before- and after-intent boundaries. Returns `.declined` when the operator
    /// said no (nothing recorded), `nil` when the intent is committed.
    func startAction(
      _ id: String, _ step: RunbookStep, subject: String?, safety: SafetyClass,
      _ change: TemporalChange, context: ChangeContext, pace: String?,
      in state: inout IncidentState
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
        ],
        in: &state)
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
      _ change: TemporalChange, in state: inout IncidentState
    ) async throws -> Stop? {
      try await self.change(step, subject: subject, safety: safety, { _ in change }, in: &state)
    }

    /// Sends a change. A batch refused because the namespace's batch slots are full is sent again
    /// under the same job id after a pause, once a describe of that id shows it did not start.
    func send(
      _ change: TemporalChange, action id: String, context: ChangeContext, in state: IncidentState
    ) async throws -> ChangeResult {
      var delay = dependencies.timing.poll
      for attempt in 1... {
        do {
          return try await temporal.perform(change, context: context)
        } catch TemporalError.batchLimitReached where attempt < 30 {
          if let job = change.batchJob, let found = try? await temporal.describeBatch(job) {
            try checkOwnBatch(found, action: id, in: state)
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
      _ job: BatchJobID, action id: String, after error: TemporalError,
      in state: inout IncidentState
    ) async throws -> Bool {
      let window =
        error.mayHaveActed || error.isUnreachable ? dependencies.timing.lostAnswerWindow : 0
      guard let found = try await batchStarts(job, within: window, in: &state) else {
        if case .alreadyExists = error { throw RunbookError.batchNeverStarted(job.rawValue) }
        return false
      }
      try checkOwnBatch(found, action: id, in: state)
      dependencies.notice(
        .launchAnsweredButBatchExists(
          action: id, batchJob: job.rawValue, answer: String(describing: error)))
      try record(
        [.actionSucceeded(ActionSucceeded(action: id, batchJob: job.rawValue))], in: &state)
      return true
    }

    /// Batch `job` as the server knows it, looking again until `seconds` have passed; `nil` when
    /// it does not know it by then.
    func batchStarts(_ job: BatchJobID, within seconds: Double, in state: inout IncidentState)
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
        try keepLease(in: &state)
      }
    }

    /// Runs `body` while a side task renews the lease whenever half of it is gone, so one long
    /// call (a chunk of 500 closed resets at `--rps 1` takes over 8 minutes) keeps the incident
    /// and a second run still finds it held. `state` is read again afterwards, and this run's hold
    /// checked on it, so nothing is recorded for an action whose incident was taken meanwhile.
    func keepingLease<Result: Sendable>(
      in state: inout IncidentState, _ body: () async throws -> Result
    ) async throws -> Result {
      guard let terms = dependencies.lease else { return try await body() }
      let renewer = Task { [self, state] in
        var copy = state
        while !Task.isCancelled {
          try? await dependencies.clock.sleep(for: .seconds(max(terms.seconds / 4, 0.25)))
          await Task.yield()
          guard !Task.isCancelled else { break }
          try? keepLease(in: &copy)
        }
      }
      let result: Result
      do {
        result = try await body()
      } catch {
        renewer.cancel()
        throw error
      }
      renewer.cancel()
      await renewer.value
      if let fresh = try runner.journal.state(of: runner.incident) { state = fresh }
      try checkLease(in: state)
      return result
    }

    /// Renews the lease when it is due, so a long wait keeps the incident.
    func keepLease(in state: inout IncidentState) throws {
      guard dependencies.lease?.renewal(of: state.lease) != nil else { return }
      try record([], in: &state)
    }

    /// Appends events, keeping `state` current. `executions` are stored beside the first event, in
    /// the same transaction.
    func record(
      _ events: [IncidentEvent], executions: [ExecutionRecord]? = nil, in state: inout IncidentState
    ) throws {
      for attempt in 1... {
        // Nothing is appended on a hold this run no longer has: with the version expected, a
        // take-over committed since `state` was read makes the append conflict, and the check
        // on the state read back then stops the run.
        try checkLease(in: state)
        let renewal =
          dependencies.lease?.renewal(of: state.lease).map { [IncidentEvent.leaseRenewed($0)] }
          ?? []
        let pending = (events + renewal).map {
          PendingEvent(id: dependencies.newEventID(), event: $0)
        }
        let set = executions.flatMap { records in
          pending.first.map {
            ExecutionSet(eventID: $0.id, records: records, digest: $0.event.namedSetDigest ?? "")
          }
        }
        do {
          let recorded = try runner.journal.append(
            pending, to: runner.incident, expectedVersion: state.version, actor: runner.actor,
            executions: set)
          for event in recorded { state.apply(event) }
          try checkLease(in: state)
          return
        } catch AppendError.conflict where attempt < Self.appendAttempts {
          // Another shell appended first (a note, a decision, a handoff): read again and fold once.
          guard let fresh = try runner.journal.state(of: runner.incident) else {
            throw RunbookError.noSuchIncident(runner.incident)
          }
          state = fresh
          // A fact (an outcome, an observation) is true whatever was appended: record it again. An
          // intent or a decision was made from the state before: decide again from this one.
          if events.contains(where: \.isDecision) {
            try checkLease(in: state)
            throw Reconsider()
          }
        }
      }
    }

    /// How often one append is tried against other writers before the conflict is the answer.
    static let appendAttempts = 100

    /// Throws when someone else holds the incident's lease now: they took it over, or it was handed
    /// off. This run stops without acting further.
    func checkLease(in state: IncidentState) throws {
      guard let terms = dependencies.lease else { return }
      try terms.check(state)
    }
  }
}

extension IncidentEvent {
  /// An intent or a decision the runner made from the state it had: when another writer appended
  /// first, it is made again from the new state rather than recorded as it was.
  var isDecision: Bool {
    switch self {
    case .actionStarted, .strategyDecided: true
    default: false
    }
  }
}
