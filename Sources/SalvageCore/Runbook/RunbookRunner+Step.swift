extension RunbookRunner {
  /// Carries out one ``RunbookAction``; `nil` means "go on".
  struct Step {
    let runner: RunbookRunner
    let dryRun: Bool
    /// The commands a dry run has planned so far.
    var planned: [[String]] = []

    var environment: Environment { runner.environment }
    var temporal: any Client { runner.temporal }

    mutating func perform(_ action: RunbookAction, in state: inout IncidentState) throws -> Outcome? {
      guard let details = state.details else { throw RunbookError.incidentNotOpened(runner.incident) }
      let bad = WorkerDeploymentVersion(deploymentName: details.deployment, buildID: details.badBuild)
      let good = WorkerDeploymentVersion(deploymentName: details.deployment, buildID: details.goodBuild)
      switch action {
      case .finished: return dryRun ? .planned(planned, until: "the incident is cleaned") : .finished
      case .closed: return .closed
      case .awaitDecision(let types):
        let decided = try decideAutomatically(types, details: details, bad: bad)
        guard !decided.isEmpty else {
          return dryRun ? .planned(planned, until: "a decision for \(types.joined(separator: ", "))") : .needsDecision(types)
        }
        try record(decided.map(IncidentEvent.strategyDecided), in: &state)
      case .observeRollout:
        let deployment = try temporal.describeDeployment(details.deployment)
        let observed = IncidentEvent.rolloutObserved(RolloutObserved(
          currentBuild: deployment.currentBuildID, rampingBuild: deployment.rampingBuildID,
          rampPercentage: deployment.rampPercentage))
        environment.report("rollout: " + observed.summary)
        try record([observed], in: &state)
      case .setCurrentToGood:
        return try change(.stop, .setCurrentVersion(good), in: &state)
      case .zeroRamp:
        return try change(.stop, .setRampingVersion(bad, percentage: 0), in: &state)
      case .removeRamp:
        return try change(.stop, .removeRamp(deployment: details.deployment), in: &state)
      case .abandon(let id):
        environment.report("\(id) was interrupted before its outcome was recorded; it is repeatable, so it runs again")
        try record(
          [.actionAbandoned(ActionAbandoned(action: id, reason: "in doubt after an interrupted run; repeatable"))],
          in: &state)
      case .reconcile(let id):
        try reconcile(id, in: &state)
      case .identify:
        try identify(bad, in: &state)
      case .recover(let type):
        return try recover(type, bad: bad, in: &state)
      case .drain:
        return try drain(bad, in: &state)
      case .freezeClosedTargets:
        try freezeClosedTargets(bad, in: &state)
      case .resetClosed(let chunk):
        return try resetClosed(chunk, good: good, in: &state)
      case .checkPollers:
        return try waitForPollersGone(bad, in: &state)
      case .deleteVersion:
        return try deleteVersion(bad, in: &state)
      }
      return nil
    }

    /// Intent, call, outcome: the one path every change takes.
    mutating func change(
      _ step: RunbookStep, subject: String? = nil, safety: SafetyClass = .repeatable,
      _ change: TemporalChange, in state: inout IncidentState
    ) throws -> Outcome? {
      let id = state.runbook.nextActionID(step, subject: subject)
      let context = ChangeContext(
        identity: "salvage/\(runner.incident)/\(id)",
        reason: "salvage \(runner.incident): \(step.rawValue)" + (subject.map { " \($0)" } ?? ""))
      let command = try temporal.command(for: change, context: context)
      if dryRun {
        planned.append(command)
        try simulate(id, step: step, subject: subject, safety: safety, change, command, context, in: &state)
        return nil
      }
      guard environment.confirm(command) else { return .declined(command) }
      environment.boundary(.beforeIntent, id)
      try record(
        [.actionStarted(ActionStarted(
          action: id, step: step, subject: subject, safety: safety, command: command, identity: context.identity))],
        in: &state)
      environment.boundary(.afterIntent, id)
      let job: BatchJobID?
      do {
        job = try temporal.perform(change, context: context)
      } catch let error as TemporalError {
        if case .timedOut = error { throw error }  // in doubt: the server may have acted
        try record([.actionFailed(ActionFailed(action: id, message: error.description))], in: &state)
        throw error
      }
      environment.boundary(.afterCall, id)
      try record([.actionSucceeded(ActionSucceeded(action: id, batchJob: job?.rawValue))], in: &state)
      environment.report("\(id): " + (job.map { "launched batch \($0)" } ?? "done"))
      return nil
    }

    /// Renews the lease when it is due, so a long wait keeps the incident.
    func keepLease(in state: inout IncidentState) throws {
      guard !dryRun, environment.lease?.renewal(of: state.lease) != nil else { return }
      try record([], in: &state)
    }

    /// In a dry run, folds the planned change's success (and, for a stop, the routing it would
    /// leave) into the scratch state, so planning can go on to the next step.
    func simulate(
      _ id: String, step: RunbookStep, subject: String?, safety: SafetyClass, _ change: TemporalChange,
      _ command: [String], _ context: ChangeContext, in state: inout IncidentState
    ) throws {
      try record(
        [
          .actionStarted(ActionStarted(
            action: id, step: step, subject: subject, safety: safety, command: command, identity: context.identity)),
          .actionSucceeded(ActionSucceeded(action: id, batchJob: nil)),
        ], in: &state)
      guard let rollout = state.runbook.rollout else { return }
      switch change {
      case .setCurrentVersion(let version):
        try record([.rolloutObserved(RolloutObserved(
          currentBuild: version.buildID, rampingBuild: rollout.rampingBuild, rampPercentage: rollout.rampPercentage))],
          in: &state)
      case .setRampingVersion(let version, let percentage):
        try record([.rolloutObserved(RolloutObserved(
          currentBuild: rollout.currentBuild, rampingBuild: version.buildID, rampPercentage: percentage))], in: &state)
      case .removeRamp:
        try record([.rolloutObserved(RolloutObserved(
          currentBuild: rollout.currentBuild, rampingBuild: nil, rampPercentage: 0))], in: &state)
      default:
        break
      }
    }

    /// Appends (or, in a dry run, only folds) events, keeping `state` current. `executions` are
    /// stored beside the first event, in the same transaction.
    func record(
      _ events: [IncidentEvent], executions: [ExecutionRecord]? = nil, in state: inout IncidentState
    ) throws {
      if dryRun {
        var version = state.version
        let now = state.lastEventAt ?? UTCTime(millisecondsSinceEpoch: 0)
        for event in events {
          version += 1
          state.apply(RecordedEvent(
            position: state.lastPosition + 1, id: environment.newEventID(), incident: runner.incident,
            version: version, recordedAt: now, actor: runner.actor, event: event))
        }
        return
      }
      let renewal = environment.lease?.renewal(of: state.lease).map { [IncidentEvent.leaseRenewed($0)] } ?? []
      let pending = (events + renewal).map { PendingEvent(id: environment.newEventID(), event: $0) }
      let set = executions.flatMap { records in
        pending.first.map { ExecutionSet(eventID: $0.id, records: records, digest: $0.event.namedSetDigest ?? "") }
      }
      let recorded = try runner.journal.append(
        pending, to: runner.incident, expectedVersion: state.version, actor: runner.actor, executions: set)
      for event in recorded { state.apply(event) }
    }
  }
}
