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
  /// to, among the incident's workflow ids and their children (``OverridesReviewed``), is
  /// described and judged by ``OverrideVerdict``; the review is recorded with the runs to unpin
  /// beside it, and each chunk of them goes out as one batch under its own job id, naming its runs
  /// and the build (so a run pinned elsewhere since is not touched). Running it again is safe:
  /// a run already unpinned has no override, and one left pinned is judged again.
  public func unpin() async throws -> Stop {
    try owner.adopt()
    var step = Step(runner: self)
    for _ in 0..<10_000 {
      try owner.checkHold()
      let state = owner.state
      guard let details = state.details else { throw RunbookError.incidentNotOpened(incident) }
      if state.closure == nil, state.phase != .cleaned {
        return .notReady(asked: .unpin, next: Runbook.nextAction(for: state).step ?? .cleanUp)
      }
      let bad = WorkerDeploymentVersion(
        deploymentName: details.deployment, buildID: details.badBuild)
      let good = WorkerDeploymentVersion(
        deploymentName: details.deployment, buildID: details.goodBuild)
      let progress = state.progress
      if let doubtful = progress.inDoubt.first(where: { $0.step == .unpin }) {
        if let stop = try await step.reconcile(doubtful.id, bad: bad, good: good) { return stop }
        continue
      }
      if let unfinished = progress.actions.first(where: {
        $0.step == .unpin && $0.outcome?.isDone == true && $0.batchJob != nil
          && progress.batches[$0.id]?.finished != true
      }), let job = unfinished.batchJob {
        dependencies.notice(.followingBatch(action: unfinished.id, batchJob: job))
        try await step.follow(BatchJobID(rawValue: job), action: unfinished.id)
        continue
      }
      return try await step.unpin(bad: bad)
    }
    throw RunbookError.noProgress(10_000)
  }
}

extension RunbookRunner.Step {
  /// Reviews, records, then unpins chunk by chunk.
  mutating func unpin(bad: WorkerDeploymentVersion) async throws -> RunbookRunner.Stop {
    let review = try await reviewOverrides(bad: bad)
    guard let recorded = state.progress.overrideReviews.last, recorded.review == review.event else {
      return .blocked("the review of the overrides was not recorded")
    }
    let number = state.progress.overrideReviews.count
    var (unpinned, failed) = (0, 0)
    for (chunk, build) in review.event.chunkBuilds.enumerated() {
      let runs = review.runs.filter { $0.chunk == chunk }.map(\.runID)
      let target = WorkerDeploymentVersion(deploymentName: bad.deploymentName, buildID: build)
      let query = VisibilityQuery.all(
        Self.runningOn(target) + [.isIn(.runID, runs)])
      let subject = "r\(number)-c\(chunk)"
      if let stop = try await batch(
        .unpin, subject: subject,
        { job in
          .unpin(query: query, from: target, job: job)
        })
      {
        return stop
      }
      if let action = state.progress.actions.last(where: {
        $0.step == .unpin && $0.subject == subject
      }), let progress = state.progress.batches[action.id] {
        unpinned += progress.complete
        failed += progress.failure + (progress.state == .failed ? runs.count : 0)
      }
    }
    return .unpinned(
      UnpinOutcome(
        builds: review.event.builds, unpinned: unpinned, stayOnBuild: review.event.stayOnBuild,
        leftPinned: review.event.leftPinned.count, failed: failed))
  }

  /// Running on `build`, as visibility shows it.
  static func runningOn(_ build: WorkerDeploymentVersion) -> [VisibilityQuery] {
    [
      .equals(.executionStatus, "Running"),
      .equals(.workerDeploymentVersion, build.visibilityValue),
    ]
  }

  /// The builds salvage pinned executions to: each decided type's target, and the good build when
  /// closed runs were reset.
  var pinnedBuilds: [String] {
    let progress = state.progress
    var builds = Set(progress.decisions.values.map(\.targetBuild))
    if let frozen = progress.closedTargets, frozen.chunkSizes.reduce(0, +) > 0,
      let good = state.details?.goodBuild
    {
      builds.insert(good)
    }
    builds.remove(state.details?.badBuild ?? "")
    return builds.sorted()
  }

  /// Every workflow id the incident recorded: identified, frozen for reset or for restart.
  func recordedWorkflowIDs() throws -> [String] {
    let progress = state.progress
    let events =
      [progress.identificationEvent, progress.closedTargetsEvent].compactMap { $0 }
      + progress.restartFreezes.values.map(\.event)
    var seen: Set<String> = []
    var ids: [String] = []
    for event in events {
      for run in try runner.journal.executions(namedBy: event)
      where seen.insert(run.workflowID).inserted {
        ids.append(run.workflowID)
      }
    }
    return ids
  }

  /// Lists the candidates, describes each, and records the review with the runs to unpin.
  mutating func reviewOverrides(bad: WorkerDeploymentVersion) async throws
    -> (event: OverridesReviewed, runs: [ExecutionRecord])
  {
    let builds = pinnedBuilds
    let ids = try recordedWorkflowIDs()
    var candidates: [(build: String, summary: WorkflowExecutionSummary)] = []
    var seen: Set<String> = []
    for build in builds {
      let target = WorkerDeploymentVersion(deploymentName: bad.deploymentName, buildID: build)
      // The incident's runs (and their continued, retried and cron runs, under the same id) and
      // the children started under them, which inherited the override.
      let queries =
        try VisibilityQuery.chunked(.workflowID, ids, guardedBy: Self.runningOn(target))
        + VisibilityQuery.chunked(.rootWorkflowID, ids, guardedBy: Self.runningOn(target))
      for query in queries {
        try await temporal.list(query) { summary in
          if seen.insert(summary.runID).inserted { candidates.append((build, summary)) }
        }
      }
    }
    let perRun = self.perRun
    let verdicts = try await tellingRefusals("reviewing the overrides") {
      try await paced(candidates, width: dependencies.timing.concurrency) { candidate in
        let target = WorkerDeploymentVersion(
          deploymentName: bad.deploymentName, buildID: candidate.build)
        let described = try await perRun.describeWorkflow(
          id: candidate.summary.workflowID, runID: candidate.summary.runID)
        return OverrideVerdict.of(described, pinnedTo: target, bad: bad)
      }
    }
    var toUnpin: [String: [WorkflowExecutionSummary]] = [:]
    var left: [RunResetOutcome] = []
    var (stay, none) = (0, 0)
    for (candidate, verdict) in zip(candidates, verdicts) {
      switch verdict {
      case .unpin(let staysOnBuild):
        toUnpin[candidate.build, default: []].append(candidate.summary)
        if staysOnBuild { stay += 1 }
      case .nothingToDo: none += 1
      case .leave(let reason):
        left.append(
          RunResetOutcome(
            workflowID: candidate.summary.workflowID, runID: candidate.summary.runID,
            result: .leftAlone, reason: reason))
      }
    }
    var runs: [ExecutionRecord] = []
    var (sizes, chunkBuilds): ([Int], [String]) = ([], [])
    for build in builds {
      let summaries = toUnpin[build] ?? []
      let target = WorkerDeploymentVersion(deploymentName: bad.deploymentName, buildID: build)
      let chunks = try VisibilityQuery.chunked(
        .runID, summaries.map(\.runID), guardedBy: Self.runningOn(target))
      var next = summaries.makeIterator()
      for query in chunks {
        guard case .all(let clauses) = query, case .isIn(_, let chunkRuns)? = clauses.last else {
          continue
        }
        for _ in chunkRuns {
          guard let summary = next.next() else { break }
          runs.append(
            ExecutionRecord(
              workflowID: summary.workflowID, runID: summary.runID, workflowType: summary.type,
              status: .running, hasReportedProblems: false, chunk: sizes.count))
        }
        sizes.append(chunkRuns.count)
        chunkBuilds.append(build)
      }
    }
    let event = OverridesReviewed(
      builds: builds, count: runs.count, chunkSizes: sizes, chunkBuilds: chunkBuilds,
      stayOnBuild: stay, noOverride: none, leftPinned: left,
      digest: runner.journal.digest(of: runs))
    try record([.overridesReviewed(event)], executions: runs)
    return (event, runs)
  }
}
