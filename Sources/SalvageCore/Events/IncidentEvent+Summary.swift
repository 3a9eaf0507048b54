extension IncidentEvent {
  /// One line for people: what `log`, the timeline and the handoff brief print for this event.
  public var summary: String {
    switch self {
    case .opened(let opened):
      "deployment \(opened.deployment), bad build \(opened.badBuild), good build \(opened.goodBuild), "
        + "namespace \(opened.namespace): \(opened.title)"
        + (opened.forcedBeside.map { " (forced beside open \($0.joined(separator: ", ")))" } ?? "")
    case .noteAdded(let note): oneLine(note.text)
    case .closed(let closed): oneLine(closed.reason)
    case .rolloutObserved(let rollout):
      "current \(rollout.currentBuild ?? "none"), ramping "
        + (rollout.rampingBuild.map { "\($0) at \(rollout.rampPercentage)%" } ?? "none")
    case .actionStarted(let started):
      "\(started.action) (\(started.safety.rawValue)): \(ShellQuoting.line(started.command))"
    case .actionSucceeded(let succeeded):
      succeeded.action + (succeeded.batchJob.map { " launched batch \($0)" } ?? " succeeded")
    case .actionFailed(let failed): "\(failed.action) failed: \(failed.message)"
    case .actionAbandoned(let abandoned): "\(abandoned.action) abandoned: \(abandoned.reason)"
    case .actionReconciled(let reconciled):
      "\(reconciled.action) " + (reconciled.tookEffect ? "took effect" : "never started")
        + " (\(reconciled.evidence))"
    case .affectedIdentified(let identified):
      "\(identified.executionCount) affected executions in \(Set(identified.groups.map(\.workflowType)).count) "
        + "Workflow Types"
        + (identified.unpinnedWithProblems > 0
          ? "; \(identified.unpinnedWithProblems) unpinned with problems" : "")
    case .strategyDecided(let decided):
      "\(decided.workflowType): \(decided.strategy.rawValue) to \(decided.targetBuild) "
        + (decided.overrides == .oneTime ? "with one-time overrides " : "")
        + "(by \(decided.source.rawValue): \(oneLine(decided.rationale)))"
        + (decided.closedStatuses.map {
          $0 == ClosedStatuses.default ? "" : "; closed runs reset when \(ClosedStatuses.list($0))"
        } ?? "")
    case .batchProgressed(let batch):
      "batch \(batch.batchJob) of \(batch.action): \(batch.complete)/\(batch.total) done, \(batch.failure) failed"
        + (batch.finished ? ", finished" : "")
    case .drainageObserved(let drainage):
      "drainage \(drainage.drainage.name.isEmpty ? "unspecified" : drainage.drainage.name), "
        + "\(drainage.runningPinned) Running still pinned"
    case .closedTargetsFrozen(let frozen):
      "\(frozen.chunkSizes.reduce(0, +)) closed runs to reset in \(frozen.chunkSizes.count) chunks"
        + " (\(frozen.alreadyReset) already reset)"
    case .closedRunsReset(let reset):
      "chunk \(reset.chunk): \(reset.count(.reset)) reset, \(reset.count(.alreadyReset)) already reset, "
        + (reset.restartedAny
          ? "\(reset.count(.restarted)) restarted, \(reset.count(.alreadyRestarted)) already restarted, "
          : "")
        + "\(reset.count(.leftAlone)) left alone, \(reset.count(.failed)) failed"
        + Self.refused(reset.outcomes.filter { $0.result == .failed })
        + Self.named("already reset", reset.outcomes.filter { $0.result == .alreadyReset })
        + Self.named("started again by someone else", reset.outcomes.filter(\.isStartedElsewhere))
    case .restartTargetsFrozen(let frozen):
      "\(frozen.count) Running \(frozen.workflowType) frozen to terminate and restart"
        + (frozen.refused.isEmpty
          ? ""
          : "; \(frozen.refused.count) refused: "
            + frozen.refused.prefix(3).map { "\($0.workflowID) (\($0.reason ?? ""))" }.joined(
              separator: "; ")
            + (frozen.refused.count > 3 ? "; and \(frozen.refused.count - 3) more" : ""))
    case .runsRestarted(let restarted):
      "\(restarted.workflowType): \(restarted.count(.restarted)) terminated and restarted, "
        + "\(restarted.count(.alreadyRestarted)) already restarted, \(restarted.count(.leftAlone)) left alone, "
        + "\(restarted.count(.failed)) failed"
        + Self.refused(restarted.outcomes.filter { $0.result == .failed })
        + Self.named("started again by someone else", restarted.startedElsewhere)
    case .overridesReviewed(let reviewed):
      "overrides to \(reviewed.builds.joined(separator: ", ")) reviewed: \(reviewed.count) to unpin in "
        + "\(reviewed.chunkSizes.count) batches"
        + (reviewed.stayOnBuild > 0
          ? " (\(reviewed.stayOnBuild) stay on their build by their own Pinned behavior until they close)"
          : "")
        + ", \(reviewed.noOverride) without an override, \(reviewed.leftPinnedCount) left pinned"
        + Self.named("left pinned", reviewed.leftPinned)
    case .pollersChecked(let pollers):
      pollers.identities.isEmpty
        ? "no pollers"
        : "pollers: \(pollers.identities.joined(separator: ", "))"
          + (pollers.remembered.map {
            " (stopped, still remembered: \($0.joined(separator: ", ")))"
          }
            ?? "")
    case .managerReturned(let returned):
      returned.to.isEmpty
        ? "manager identity of \(returned.deployment) found unset at close: nothing handed back"
        : "manager identity of \(returned.deployment) handed back to '\(returned.to)'"
    case .versionDeleted(let deleted):
      deleted.confirmed ? "version deleted, confirmed gone" : "version deleted"
    case .leaseAcquired(let lease):
      "\(lease.holder) on \(lease.host) drives the incident until \(lease.expiresAt) UTC"
        + (lease.pid.map { " (pid \($0))" } ?? "")
        + (lease.takenOverFrom.map { ", taken over from \($0)" + pid(lease.previousPid) } ?? "")
        + (lease.expiredHolder.map { holder in
          lease.previousRunEnded == true
            ? ", after \(holder)'s run\(pid(lease.previousPid)) ended on this host"
            : ", after \(holder)'s lease expired"
        } ?? "")
    case .leaseRenewed(let lease): "\(lease.holder)'s lease renewed until \(lease.expiresAt) UTC"
    case .leaseReleased(let lease): "\(lease.holder) released the incident"
    case .handedOff(let handoff):
      "handed off from \(handoff.from) to \(handoff.to)"
        + (handoff.export.map { " in \($0), sealed here" } ?? "")
        + (handoff.note.map { ": \(oneLine($0))" } ?? "")
    case .imported(let imported):
      switch imported.mode {
      case .copy:
        "imported from \(imported.file) as a read-only copy (\(imported.events) events)"
          + imported.signedBy
      case .handedOver:
        "imported from \(imported.file), handed over: driven from this journal now"
          + imported.signedBy
      case .adopted:
        "imported from \(imported.file) and adopted: driven from this journal now"
          + imported.signedBy
      }
    }
  }

  /// The refused runs of a chunk, by id and why: the first five, then how many more.
  /// `; already reset: wf-1 (run r1): already reset to r2 by alice at T (by hand); …`: who and
  /// when, for every run someone (salvage's own crashed run, or a person) reset before the check.
  static func named(_ label: String, _ outcomes: [RunResetOutcome]) -> String {
    guard !outcomes.isEmpty else { return "" }
    let named = outcomes.prefix(5).map {
      "\($0.workflowID) (run \($0.runID)): \(oneLine($0.reason ?? "no reason given"))"
    }
    return "; \(label): " + named.joined(separator: "; ")
      + (outcomes.count > 5 ? "; and \(outcomes.count - 5) more" : "")
  }

  static func refused(_ failed: [RunResetOutcome]) -> String {
    guard !failed.isEmpty else { return "" }
    let named = failed.prefix(5).map {
      "\($0.workflowID) (run \($0.runID)): \(oneLine($0.reason ?? "no reason given"))"
    }
    return " (" + named.joined(separator: "; ")
      + (failed.count > 5 ? "; and \(failed.count - 5) more" : "") + ")"
  }
}

/// Free text on one line for listings: line breaks shown as ⏎, cut at 100 characters.
public func oneLine(_ text: String) -> String {
  let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
  return flat.count > 100 ? String(flat.prefix(99)) + "…" : flat

}

/// " (pid 42)" for a known process id, nothing otherwise.
private func pid(_ pid: Int?) -> String { pid.map { " (pid \($0))" } ?? "" }
