/// The runbook as a pure decision: given the state, what comes next (docs/design.md §2, §6).
public enum Runbook {
  /// The next action for `state`. Total: every state has an answer.
  ///
  /// In-doubt actions come first (a run-once one is reconciled, a repeatable one abandoned), so a
  /// resumed run never repeats a run-once step blindly. Then the phases in order, each entered only
  /// on the evidence its gate needs.
  public static func nextAction(for state: IncidentState) -> RunbookAction {
    guard state.closure == nil else { return .closed }
    guard let details = state.details else { return .closed }
    let progress = state.progress
    if let settle = settlement(of: progress) { return settle }
    switch state.phase ?? .opened {
    case .opened:
      guard let rollout = progress.rollout, !progress.rolloutChangedSinceObservation else {
        return .observeRollout
      }
      if let holder = foreignManager(state) { return .claimManager(from: holder) }
      if rollout.currentBuild == details.badBuild { return .setCurrentToGood }
      if rollout.rampingBuild == details.badBuild {
        return rollout.rampPercentage > 0 ? .zeroRamp : .removeRamp
      }
      return .observeRollout  // unreachable: the phase would be stopped
    case .stopped:
      return .identify
    case .identified:
      let undecided = progress.undecidedTypes
      if !undecided.isEmpty { return .awaitDecision(workflowTypes: undecided) }
      let pending = (progress.identification?.runningTypes ?? []).first {
        !progress.isRecovered($0)
      }
      return pending.map { .recover(workflowType: $0) } ?? .drain
    case .recovering:
      return .drain
    case .drained:
      guard let targets = progress.closedTargets else { return .freezeClosedTargets }
      if let chunk = targets.chunkSizes.indices.first(where: {
        !progress.isDone(.resetClosed, subject: String($0))
      }) {
        return .resetClosed(chunk: chunk)
      }
      // Pollers recorded as still there are stale by the next run: look again.
      guard let pollers = progress.pollers, pollers.identities.isEmpty else { return .checkPollers }
      // Only the manager may delete a version of the deployment: a controller's is claimed first.
      if let holder = foreignManager(state) { return .claimManager(from: holder) }
      return .deleteVersion
    case .cleaned:
      return .finished
    case .closed:
      return .closed
    }
  }

  /// What must be settled before anything new goes out, among the actions `included`: the oldest
  /// action left in doubt by a crash (a run-once one, or a batch, reconciled with the server by its
  /// job id or its runs; any other repeatable one abandoned, to run again), then a batch launched
  /// but never seen to finish (followed). `nil` when nothing is unsettled.
  public static func settlement(
    of progress: RunbookProgress, among included: (RunbookProgress.Action) -> Bool = { _ in true }
  ) -> RunbookAction? {
    if let doubtful = progress.inDoubt.first(where: included) {
      return doubtful.safety == .runOnce || doubtful.batchJob != nil
        ? .reconcile(action: doubtful.id) : .abandon(action: doubtful.id)
    }
    if let unfinished = progress.actions.first(where: {
      included($0) && $0.outcome?.isDone == true && $0.batchJob != nil
        && progress.batches[$0.id]?.finished != true
    }) {
      return .followBatch(action: unfinished.id)
    }
    return nil
  }

  /// The identity managing the deployment, as last observed, when it is not the incident's own.
  static func foreignManager(_ state: IncidentState) -> String? {
    guard let holder = state.progress.rollout?.managerIdentity,
      holder != ManagerCustody.identity(for: state.incident)
    else { return nil }
    return holder
  }
}
