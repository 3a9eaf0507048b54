extension RunbookRunner.ActionPerformer {
  /// Decides what the owners declared: from the policy file first, then from the restartable
  /// attribute on the executions. Types neither source decides are left for a human.
  func decideAutomatically(
    _ types: [String], details: IncidentState.Details, bad: WorkerDeploymentVersion
  ) async throws -> [StrategyDecided] {
    var decisions: [StrategyDecided] = []
    for type in types {
      if let source = dependencies.policy,
        let decision = try source.policy.decision(for: type, incident: details, file: source.file)
      {
        decisions.append(decision)
      } else if let source = dependencies.attribute,
        let decision = try await decideFromAttribute(
          type, source.attribute, replaySafe: source.replaySafeBuild, details: details, bad: bad)
      {
        decisions.append(decision)
      }
    }
    return decisions
  }

  /// Restartable when the attribute is `true` on every Running execution of the type pinned to the
  /// bad build, not restartable when `false` on every one; anything else is for a human.
  func decideFromAttribute(
    _ type: String, _ attribute: SearchAttribute, replaySafe: String?,
    details: IncidentState.Details,
    bad: WorkerDeploymentVersion
  ) async throws -> StrategyDecided? {
    let running = VisibilityQuery.all([
      .equals(.workerDeploymentVersion, bad.visibilityValue), .equals(.executionStatus, "Running"),
      .equals(.workflowType, type),
    ])
    let total = try await temporal.count(running)
    let yes = try await temporal.count(.all([running, .equalsBool(attribute, true)]))
    let no = try await temporal.count(.all([running, .equalsBool(attribute, false)]))
    guard total > 0, yes == total || no == total else {
      dependencies.notice(
        .attributeUndecided(
          workflowType: type, attribute: attribute, yes: yes, no: no, total: total))
      return nil
    }
    do {
      return try StrategyDecided.make(
        workflowType: type, restartable: yes == total, corrupted: false,
        replaySafeBuild: yes == total ? nil : replaySafe,
        incident: details, source: .searchAttribute,
        rationale: "\(attribute) = \(yes == total) on all \(total) Running executions")
    } catch {
      dependencies.notice(
        .attributeRefused(workflowType: type, attribute: attribute, reason: error.message))
      return nil
    }
  }
}
