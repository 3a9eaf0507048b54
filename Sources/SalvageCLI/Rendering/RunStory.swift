import SalvageCore

/// A run's story in text, told from what it records: the lines each committed event gives (a
/// drainage observation only on the progress line), in the order they were appended.
///
/// It reads the incident's state after the events, as the run's owner hands it with them, for
/// what an event does not say by itself: the bad version, and the closed statuses chosen for each
/// Workflow Type.
struct RunStory {
  /// What events show: lines of the record, and the progress line they leave, if any.
  struct Told: Equatable {
    var lines: [String] = []
    var progress: String?
  }

  private(set) var state: IncidentState

  init(_ state: IncidentState) { self.state = state }

  /// The bad version, as the lines name it.
  var bad: String {
    state.details.map {
      WorkerDeploymentVersion(deploymentName: $0.deployment, buildID: $0.badBuild).description
    } ?? "the bad version"
  }

  /// What events committed together show. An action's end recorded with the outcomes of its runs
  /// (a restart round, a closed chunk) adds nothing to the line of those outcomes.
  mutating func tell(_ events: [RecordedEvent], after state: IncidentState) -> Told {
    self.state = state
    var told = Told()
    var ended: Set<String> = []
    for recorded in events {
      let event = recorded.event
      switch event {
      case .strategyDecided: told.lines.append("decided: " + event.summary)
      case .rolloutObserved: told.lines.append("rollout: " + event.summary)
      case .actionAbandoned(let abandoned):
        told.lines.append(
          "\(abandoned.action) was interrupted before its outcome was recorded; it is repeatable, "
            + "so it runs again")
      case .actionSucceeded(let succeeded) where !ended.contains(succeeded.action):
        told.lines.append(
          "\(succeeded.action): " + (succeeded.batchJob.map { "done, batch \($0)" } ?? "done"))
      case .actionReconciled(let reconciled) where !ended.contains(reconciled.action):
        told.lines.append(
          "\(reconciled.action) was interrupted; reconciled: \(reconciled.evidence)"
            + (reconciled.tookEffect ? "" : ": it did not take effect"))
      case .batchProgressed(let batch):
        let counts = "batch \(batch.batchJob): \(batch.complete)/\(batch.total) done"
        guard batch.finished else {
          told.progress = counts
          continue
        }
        told.lines.append(
          counts + (batch.failure > 0 ? ", \(batch.failure) FAILED" : "")
            + (batch.state == .failed ? "; the batch itself FAILED" : ""))
      case .affectedIdentified(let identified): told.lines += affected(identified)
      case .drainageObserved(let drainage):
        told.progress =
          "drainage \(drainage.drainage.name), \(drainage.runningPinned) Running still pinned to \(bad)"
      case .closedTargetsFrozen(let frozen): told.lines += closedTargets(frozen)
      case .restartTargetsFrozen(let frozen):
        told.lines.append("\(frozen.workflowType): " + event.summary)
      case .runsRestarted(let round):
        ended.insert(round.action)
        told.lines += ["\(round.action): " + event.summary] + Self.leftAlone(round.outcomes)
      case .closedRunsReset(let chunk):
        ended.insert(chunk.action)
        told.lines += ["\(chunk.action): " + event.summary] + Self.leftAlone(chunk.outcomes)
      case .versionDeleted(let deleted):
        told.lines.append(
          deleted.confirmed
            ? "\(bad) is deleted: a re-describe finds nothing, and no worker polls it as that version"
            : "\(bad) is deleted")
      default: continue
      }
    }
    return told
  }

  /// One line a group, with what happens to its closed runs; then the executions the runbook's
  /// query misses, if any.
  func affected(_ identified: AffectedExecutionsIdentified) -> [String] {
    identified.groups.map { group in
      "affected: \(group.workflowType) \(group.status.rawValue): \(group.count) "
        + "(\(group.withReportedProblems) with reported problems)"
        + (state.progress.closedChoice(for: group).map { ", \($0)" } ?? "")
    }
      + (identified.unpinnedWithProblems > 0
        ? [
          "warning: \(identified.unpinnedWithProblems) Running executions with reported problems "
            + "on the task queues of \(bad) are not pinned to it (their first task failed there); "
            + "the runbook's query misses them"
        ] : [])
  }

  /// The frozen closed runs, and each run a restart refused, named.
  func closedTargets(_ frozen: ClosedTargetsFrozen) -> [String] {
    let refused = frozen.refusedRestarts ?? []
    return [
      "closed runs to reset: \(frozen.chunkSizes.reduce(0, +)) in \(frozen.chunkSizes.count) "
        + "chunks (\(frozen.alreadyReset) already reset, left out)"
        + (refused.isEmpty ? "" : "; \(refused.count) refused a restart and left out")
    ]
      + refused.map { "  left out \($0.workflowID) \($0.runID): \($0.reason ?? "")" }
  }

  static func leftAlone(_ outcomes: [RunResetOutcome]) -> [String] {
    // A run someone else started again is named in the round's line already.
    outcomes.filter { $0.result == .leftAlone && !$0.isStartedElsewhere }.map {
      "  left alone \($0.workflowID) \($0.runID): \($0.reason ?? "")"
    }
  }
}
