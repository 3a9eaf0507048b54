extension RunbookRunner.ActionPerformer {
  /// The runbook's first step: observe the deployment's routing, take the manager identity when
  /// a controller holds it and the operator said so, then send Current back to the good build or
  /// the ramp to 0 % and removed, each decided on the observation just recorded.
  mutating func stopRollout(
    _ action: RunbookAction, details: IncidentState.Details, bad: WorkerDeploymentVersion,
    good: WorkerDeploymentVersion
  ) async throws -> RunbookRunner.StopReason? {
    switch action {
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
    default:
      preconditionFailure("not a step of stopping the rollout: \(action)")
    }
    return nil
  }
}
