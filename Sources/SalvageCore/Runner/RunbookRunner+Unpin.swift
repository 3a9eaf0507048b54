/// What `salvage unpin` did, for the operator.
public struct UnpinOutcome: Equatable, Sendable {
  /// The builds salvage pinned to whose overrides were reviewed.
  public let builds: [String]
  /// Executions whose override the batches removed, as the server counted them.
  public let unpinned: Int
  /// Of those, the ones that stay on their build by their own Pinned behavior until they close.
  public let stayOnBuild: Int
  /// Executions left pinned (the review says why), and executions a batch failed on.
  public let leftPinned: Int
  public let failed: Int

  public init(builds: [String], unpinned: Int, stayOnBuild: Int, leftPinned: Int, failed: Int) {
    self.builds = builds
    self.unpinned = unpinned
    self.stayOnBuild = stayOnBuild
    self.leftPinned = leftPinned
    self.failed = failed
  }
}

extension RunbookRunner {
  /// `salvage unpin`: removes the Versioning Overrides salvage's recovery set, once the incident is
  /// cleaned (or closed) and the operator says the builds they pin to may be retired.
  ///
  /// An unpin left in doubt by a crash is settled first (by its job id), and a batch never seen to
  /// finish is followed. Then every Running execution visibility shows on a build salvage pinned
  /// to, among the incident's workflow ids and their children's (``OverridesReviewed``), is
  /// described and judged by ``OverrideVerdict``; the review is recorded with the runs to unpin
  /// beside it, and each chunk of them goes out as one batch under its own job id, naming its runs
  /// and the build (so a run pinned elsewhere since is not touched). Running it again is safe:
  /// a run already unpinned has no override, and one left pinned is judged again.
  public func unpin() async throws -> StopReason {
    try owner.adopt()
    var performer = ActionPerformer(runner: self)
    var settled = 0
    for _ in 0..<10_000 {
      try owner.checkHold()
      let state = owner.state
      guard let details = state.details else { throw RunbookError.incidentNotOpened(incident) }
      if state.closure == nil, state.phase != .cleaned {
        return .notReady(asked: .unpin, next: Runbook.nextAction(for: state).step ?? .cleanUp)
      }
      let bad = WorkerDeploymentVersion(
        deploymentName: details.deployment, buildID: details.badBuild)
      do {
        if let settle = Runbook.settlement(of: state.progress, among: { $0.step == .unpin }) {
          if let stop = try await performer.perform(settle) { return stop }
          switch settle {
          case .reconcile(let id), .followBatch(let id), .abandon(let id):
            settled += performer.state.progress.batches[id]?.complete ?? 0
          default: break
          }
          continue
        }
        return try await performer.unpin(bad: bad, settled: settled)
      } catch is Reconsider {
        // Another writer's events came first: look again from the journal as it is now.
        try owner.adopt()
      }
    }
    throw RunbookError.noProgress(10_000)
  }
}
