extension IncidentState {
  /// Folds one runbook event into ``progress``, then re-derives the phase from the evidence.
  mutating func applyRunbook(_ event: IncidentEvent, _ recorded: RecordedEvent) {
    let time = recorded.recordedAt
    switch event {
    case .rolloutObserved(let observed):
      let own = ManagerCustody.identity(for: incident)
      if observed.managerIdentity == own {
        if progress.manager?.isHeld == true {
          progress.manager?.confirmed = true
        } else if let previous = progress.rollout?.managerIdentity, previous != own {
          progress.manager = ManagerCustody(previous: previous, confirmed: true)
        }
      }
      progress.rollout = observed
      progress.rolloutChangedSinceObservation = false
    case .actionStarted(let started):
      guard !progress.actions.contains(where: { $0.id == started.action }) else {
        anomaly(recorded, "action \(started.action) started twice")
        return
      }
      progress.actions.append(
        .init(
          id: started.action, step: started.step, subject: started.subject, safety: started.safety,
          command: started.command, identity: started.identity, startedAt: time,
          batchJob: started.batchJob))
      if started.step == .recover, let type = started.subject {
        progress.roundDecisions[started.action] = progress.decisions[type]
      }
      // A claim's intent begins the custody: the holder it replaces is the one it was decided on.
      if started.step == .stop, started.subject == ManagerCustody.claimSubject,
        progress.manager?.isHeld != true, let holder = progress.rollout?.managerIdentity,
        holder != ManagerCustody.identity(for: incident)
      {
        progress.manager = ManagerCustody(previous: holder)
      }
    case .actionSucceeded(let succeeded):
      end(succeeded.action, .succeeded, batchJob: succeeded.batchJob, message: nil, recorded)
    case .actionFailed(let failed):
      end(failed.action, .failed, batchJob: nil, message: failed.message, recorded)
    case .actionAbandoned(let abandoned):
      end(abandoned.action, .abandoned, batchJob: nil, message: abandoned.reason, recorded)
    case .actionReconciled(let reconciled):
      end(
        reconciled.action, reconciled.tookEffect ? .tookEffect : .notStarted,
        batchJob: reconciled.batchJob, message: reconciled.evidence, recorded)
    case .affectedIdentified(let identified):
      progress.identification = identified
      progress.identificationEvent = recorded.id
    case .strategyDecided(let decided):
      progress.decisions[decided.workflowType] = decided
    case .batchProgressed(let batch):
      progress.batches[batch.action] = batch
    case .drainageObserved(let observed):
      progress.drainage = observed
    case .closedTargetsFrozen(let frozen):
      guard progress.closedTargets == nil else {
        anomaly(recorded, "closed targets frozen again; the first set stands")
        return
      }
      progress.closedTargets = frozen
      progress.closedTargetsEvent = recorded.id
    case .closedRunsReset(let reset):
      progress.closedResets[reset.action, default: []] += reset.outcomes
    case .restartTargetsFrozen(let frozen):
      progress.restartFreezes[frozen.workflowType] = .init(
        event: recorded.id, frozen: frozen,
        roundsBefore: progress.actions.filter {
          $0.step == .recover && $0.subject == frozen.workflowType
        }.count)
    case .runsRestarted(let restarted):
      progress.restarts[restarted.action, default: []] += restarted.outcomes
      if let startedAt = restarted.startedAt {
        progress.restartStartedAt[restarted.action] = startedAt
      }
      if let freeze = progress.restartFreezes[restarted.workflowType],
        progress.settledRestartRuns(restarted.workflowType).count >= freeze.frozen.count
      {
        progress.restartRoundsSettlingFreeze.insert(restarted.action)
      }
    case .pollersChecked(let checked):
      progress.pollers = checked
    case .overridesReviewed(let reviewed):
      progress.overrideReviews.append(.init(event: recorded.id, review: reviewed))
    case .versionDeleted(let deleted):
      progress.versionDeleted = deleted.confirmed
    case .managerReturned(let returned):
      progress.manager?.returned = returned
    case .opened, .noteAdded, .closed, .leaseAcquired, .leaseRenewed, .leaseReleased, .handedOff,
      .imported:
      return
    }
    if closure == nil, details != nil { phase = derivedPhase }
  }

  private mutating func end(
    _ id: String, _ outcome: RunbookProgress.Outcome, batchJob: String?, message: String?,
    _ recorded: RecordedEvent
  ) {
    guard let index = progress.actions.firstIndex(where: { $0.id == id }) else {
      anomaly(recorded, "outcome for action \(id), which never started")
      return
    }
    guard progress.actions[index].outcome == nil else {
      anomaly(recorded, "second outcome for action \(id); the first stands")
      return
    }
    progress.actions[index].outcome = outcome
    progress.actions[index].batchJob = batchJob ?? progress.actions[index].batchJob
    progress.actions[index].message = message
    progress.actions[index].endedAt = recorded.recordedAt
    let step = progress.actions[index].step
    if outcome.isDone, step == .stop { progress.rolloutChangedSinceObservation = true }
    // A claim that failed before it acted (nothing sent) took nothing.
    if outcome == .failed, step == .stop,
      progress.actions[index].subject == ManagerCustody.claimSubject,
      progress.manager?.confirmed == false
    {
      progress.manager = nil
    }
  }

  /// The phase the evidence supports (docs/design.md §2). Each gate needs the ones before it.
  var derivedPhase: IncidentPhase {
    guard let details else { return .opened }
    guard let rollout = progress.rollout, !progress.rolloutChangedSinceObservation,
      rollout.currentBuild != details.badBuild, rollout.rampingBuild != details.badBuild
    else { return .opened }
    guard let identification = progress.identification else { return .stopped }
    let running = identification.runningTypes
    let recovered = running.allSatisfy {
      progress.decisions[$0] != nil && progress.isRecovered($0)
    }
    guard recovered else { return .identified }
    guard let drainage = progress.drainage, drainage.drainage == .drained,
      drainage.runningPinned == 0,
      progress.lastRecoveryAt.map({ last in drainage.checkedAt.map { $0 > last } ?? false }) ?? true
    else { return .recovering }
    guard let targets = progress.closedTargets,
      targets.chunkSizes.indices.allSatisfy({ progress.isDone(.resetClosed, subject: String($0)) }),
      progress.versionDeleted
    else { return .drained }
    return .cleaned
  }
}
