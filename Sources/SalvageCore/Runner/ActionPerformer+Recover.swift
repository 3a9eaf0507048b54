extension RunbookRunner.ActionPerformer {
  /// Recovers the Running executions of one Workflow Type pinned to the bad build, with its decided
  /// strategy. All of them, not only those with reported problems: the filter lags behind
  /// failures, and anything left Running on the bad build keeps it from draining.
  mutating func recover(_ type: String, bad: WorkerDeploymentVersion)
    async throws -> RunbookRunner.StopReason?
  {
    guard let decision = state.progress.decisions[type] else { return .needsDecision([type]) }
    if decision.overrides == .oneTime, let refusal = try await oneTimeRefusal(type) {
      return .blocked(refusal)
    }
    if decision.strategy.restarts {
      return try await restart(type, decision: decision, bad: bad)
    }
    let target = WorkerDeploymentVersion(
      deploymentName: bad.deploymentName, buildID: decision.targetBuild)
    if decision.strategy.needsReplaySafeBuild {
      let queues: [VersionDescription.TaskQueue]
      do {
        queues = try await temporal.describeVersion(target).taskQueues
      } catch TemporalError.versionNotFound {
        return .blocked("the replay-safe build \(target) does not exist: deploy it, then run again")
      }
      // A worker the server only remembers runs nothing: the build needs one polling now.
      let seen = try await sightPollers(of: target, on: queues)
      if seen.live.isEmpty {
        let quiet = seen.remembered.map { "\($0.identity) last polled \($0.lastPolledAgo) s ago" }
        return .blocked(
          "the replay-safe build \(target) has no "
            + (quiet.isEmpty ? "pollers" : "worker polling now (\(quiet.joined(separator: ", ")))")
            + ": start its workers, then run again")
      }
    }
    let identified = try identifiedRunning(type)
    let resetTarget = decision.strategy.resetTarget
    // One round, or one round per run-id chunk while a clean round leaves more chunks: at most
    // as many rounds as there were chunks at first, and two more.
    var sent = 0
    var limit: Int?
    while true {
      var scope = try await recoveryScope(type, bad: bad, identified: identified)
      // A second reset of a run would terminate the run its first reset made: a round after the
      // first goes out only once visibility no longer lists what the earlier rounds moved. What
      // the rounds select is counted again once it has caught up.
      if resetTarget != nil,
        state.progress.actions.contains(where: { $0.step == .recover && $0.subject == type })
      {
        for _ in 0...scope.rounds.count {
          let query = scope.rounds.first ?? byName(type, bad)
          if let waiting = try await awaitVisibility(agreeingOn: query, type, bad: bad) {
            return waiting
          }
          let again = try await recoveryScope(type, bad: bad, identified: identified)
          if again.rounds.first == scope.rounds.first { break }
          scope = again
        }
      }
      let query = scope.rounds.first ?? byName(type, bad)
      limit = limit ?? scope.rounds.count + 2
      sent += 1
      if scope.byRunID {
        dependencies.notice(.scopedByRunID(workflowType: type, identified: identified.count))
      }
      if let outcome = try await batch(
        .recover, subject: type,
        { job in
          resetTarget.map {
            TemporalChange.resetWithMove(query: query, target: $0, pinTo: target, job: job)
          }
            ?? .updateOptions(query: query, pinTo: target, job: job)
        })
      {
        return outcome
      }
      let latest = state.progress.actions.last { $0.step == .recover && $0.subject == type }
      guard let latest, let progress = state.progress.batches[latest.id], progress.finishedCleanly
      else { return nil }
      let more = scope.byRunID && scope.rounds.count > 1 && sent < (limit ?? 0)
      // Never a silent zero: a type with Running executions that no query can select is named
      // (a chunk that selected nothing, its runs moved meanwhile, hands on to the next).
      if progress.total == 0, !more {
        guard try await recoveryScope(type, bad: bad, identified: identified).byRunID else {
          return nil
        }
        return .blocked(
          "the recovery of \(type) selected no execution, yet its identified executions are still Running on "
            + "\(bad): recover them by hand (salvage log lists them), then run again")
      }
      guard more else { return nil }
    }
  }

  /// Running executions pinned to the bad build.
  func pinnedRunning(_ bad: WorkerDeploymentVersion) -> VisibilityQuery {
    .all(pinnedRunningClauses(bad))
  }

  func pinnedRunningClauses(_ bad: WorkerDeploymentVersion) -> [VisibilityQuery] {
    [.equals(.workerDeploymentVersion, bad.visibilityValue), .equals(.executionStatus, "Running")]
  }

  /// The identified Running executions of `type`.
  func identifiedRunning(_ type: String) throws -> [ExecutionRecord] {
    guard let event = state.progress.identificationEvent else { return [] }
    return try runner.journal.executions(namedBy: event).filter {
      $0.workflowType == type && $0.status == .running
    }
  }

  /// The type's Running executions pinned to the bad build, by its name.
  func byName(_ type: String, _ bad: WorkerDeploymentVersion) -> VisibilityQuery {
    .all(pinnedRunningClauses(bad) + [.equals(.workflowType, type)])
  }

  /// The queries of a type's recovery rounds still to send.
  struct RecoveryScope {
    /// First to last: one by name, or one per run-id chunk that still selects something. Empty
    /// when nothing of the type is left Running on the bad build.
    let rounds: [VisibilityQuery]
    /// Whether the rounds name the identified runs by run id.
    let byRunID: Bool
  }

  /// How the type's next recovery rounds select: by its name whenever visibility selects any of
  /// its Running executions on the bad build that way (after any progress too: an earlier round's
  /// moves only make that count smaller). Only when the name selects nothing while identified runs
  /// are still Running there (a name visibility cannot match by equality) by their run ids, in
  /// chunks that each fit the query limit, still guarded by the version and `Running` so a repeat
  /// stays safe.
  func recoveryScope(_ type: String, bad: WorkerDeploymentVersion, identified: [ExecutionRecord])
    async throws -> RecoveryScope
  {
    let byName = byName(type, bad)
    if try await temporal.count(byName) > 0 {
      return RecoveryScope(rounds: [byName], byRunID: false)
    }
    guard !identified.isEmpty else { return RecoveryScope(rounds: [], byRunID: false) }
    var live: [VisibilityQuery] = []
    for chunk in try VisibilityQuery.chunked(
      .runID, identified.map(\.runID), guardedBy: pinnedRunningClauses(bad))
    where try await temporal.count(chunk) > 0 {
      live.append(chunk)
    }
    guard !live.isEmpty else { return RecoveryScope(rounds: [], byRunID: false) }
    return RecoveryScope(rounds: live, byRunID: true)
  }

  /// Why `type`'s one-time overrides cannot be sent to this server, or `nil` when they can: a
  /// server older than ``OverrideKind/oneTimeSince`` drops the `one_time` field and then refuses
  /// every override ("override behavior is required"), so nothing is sent to it.
  func oneTimeRefusal(_ type: String) async throws -> String? {
    let reported = try await temporal.serverVersion()
    guard let since = ServerRelease(OverrideKind.oneTimeSince) else { return nil }
    if let release = ServerRelease(reported), release >= since { return nil }
    return "\(type) was decided with one-time Versioning Overrides, which need Temporal server "
      + "\(since) or later; this server reports '\(reported)'. Decide it again without "
      + "--one-time-override (salvage decide --type \(ShellQuoting.quote(type)) …), then run again"
  }
}
