/// Intent, call, outcome: the one path every change to Temporal takes.
extension RunbookRunner.ActionPerformer {
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
  ) async throws -> RunbookRunner.StopReason? {
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
  ) throws -> RunbookRunner.StopReason? {
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
  ) async throws -> RunbookRunner.StopReason? {
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
}
