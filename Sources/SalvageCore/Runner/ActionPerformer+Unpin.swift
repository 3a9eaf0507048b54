extension RunbookRunner.ActionPerformer {
  /// How deep children of children are looked for under the incident's runs.
  static let childDepth = 16

  /// Reviews, records, then unpins chunk by chunk. `settled`: what batches settled or followed
  /// first in this invocation removed.
  mutating func unpin(bad: WorkerDeploymentVersion, settled: Int) async throws
    -> RunbookRunner.StopReason
  {
    let review = try await reviewOverrides(bad: bad)
    let number = state.progress.overrideReviews.count
    var (unpinned, failed) = (settled, 0)
    for (chunk, (build, query)) in zip(review.event.chunkBuilds, review.queries).enumerated() {
      let target = WorkerDeploymentVersion(deploymentName: bad.deploymentName, buildID: build)
      let subject = "r\(number)-c\(chunk)"
      if let stop = try await batch(
        .unpin, subject: subject, { job in .unpin(query: query, from: target, job: job) })
      {
        return stop
      }
      if let action = state.progress.actions.last(where: {
        $0.step == .unpin && $0.subject == subject
      }), let progress = state.progress.batches[action.id] {
        unpinned += progress.complete
        // A batch that failed as a whole reports no counts: none of its runs was unpinned.
        failed += progress.state == .failed ? review.event.chunkSizes[chunk] : progress.failure
      }
    }
    return .unpinned(
      UnpinOutcome(
        builds: review.event.builds, unpinned: unpinned, stayOnBuild: review.event.stayOnBuild,
        leftPinned: review.event.leftPinnedCount, failed: failed))
  }

  /// Running on `build`, as visibility shows it.
  static func runningOn(_ build: WorkerDeploymentVersion) -> [VisibilityQuery] {
    [
      .equals(.executionStatus, "Running"),
      .equals(.workerDeploymentVersion, build.visibilityValue),
    ]
  }

  /// The builds salvage pinned executions to: each recovery's target (as decided when its intent
  /// was recorded, so a type decided again keeps its earlier rounds' build), restart rounds' among
  /// them, and the good build when closed runs were reset. Types decided with one-time overrides
  /// are reviewed too: a one-time override not yet used up is no pin, and is left alone.
  var pinnedBuilds: [String] {
    let progress = state.progress
    var builds = Set(
      progress.actions.filter { $0.step == .recover && $0.outcome?.isDone == true }
        .compactMap { progress.decision(of: $0)?.targetBuild })
    if let frozen = progress.closedTargets, frozen.chunkSizes.reduce(0, +) > 0 {
      if let good = state.details?.goodBuild { builds.insert(good) }
      // A closed run of a type that restarts starts again on its type's target.
      builds.formUnion(progress.decisions.values.filter(\.strategy.restarts).map(\.targetBuild))
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

  /// `ids` and the workflow ids of their children, their children's children and so on (a child
  /// inherits its parent's pinned override), found by `ParentWorkflowId` level by level.
  func withDescendants(_ ids: [String]) async throws -> [String] {
    var all = ids
    var seen = Set(ids)
    var frontier = ids
    for _ in 0..<Self.childDepth where !frontier.isEmpty {
      var next: [String] = []
      for query in try VisibilityQuery.chunked(.parentWorkflowID, frontier, guardedBy: []) {
        try await temporal.list(query) { child in
          if seen.insert(child.workflowID).inserted { next.append(child.workflowID) }
        }
      }
      all += next
      frontier = next
    }
    return all
  }

  /// Lists the candidates, describes each, and records the review with the runs to unpin. Returns
  /// the review and each chunk's batch query: Running on the chunk's build, and its run ids.
  mutating func reviewOverrides(bad: WorkerDeploymentVersion) async throws
    -> (event: OverridesReviewed, queries: [VisibilityQuery])
  {
    let builds = pinnedBuilds
    // Their continued, retried and cron runs share their workflow ids; children have their own.
    let ids = try await withDescendants(try recordedWorkflowIDs())
    let routing = RolloutObserved(try await temporal.describeDeployment(bad.deploymentName))
    var candidates: [(build: String, summary: WorkflowExecutionSummary)] = []
    var seen: Set<String> = []
    for build in builds {
      let target = WorkerDeploymentVersion(deploymentName: bad.deploymentName, buildID: build)
      for query in try VisibilityQuery.chunked(.workflowID, ids, guardedBy: Self.runningOn(target))
      {
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
        return OverrideVerdict.of(described, pinnedTo: target, bad: bad, routing: routing)
      }
    }
    var toUnpin: [String: [WorkflowExecutionSummary]] = [:]
    var left: [RunResetOutcome] = []
    var (stay, none, leftCount) = (0, 0, 0)
    for (candidate, verdict) in zip(candidates, verdicts) {
      switch verdict {
      case .unpin(let staysOnBuild):
        toUnpin[candidate.build, default: []].append(candidate.summary)
        if staysOnBuild { stay += 1 }
      case .nothingToDo: none += 1
      case .leave(let reason):
        leftCount += 1
        guard left.count < OverridesReviewed.listedLimit else { continue }
        left.append(
          RunResetOutcome(
            workflowID: candidate.summary.workflowID, runID: candidate.summary.runID,
            result: .leftAlone, reason: reason))
      }
    }
    var runs: [ExecutionRecord] = []
    var queries: [VisibilityQuery] = []
    var (sizes, chunkBuilds): ([Int], [String]) = ([], [])
    for build in builds {
      let summaries = toUnpin[build] ?? []
      let target = WorkerDeploymentVersion(deploymentName: bad.deploymentName, buildID: build)
      let guarded = Self.runningOn(target)
      var start = 0
      for chunk in try VisibilityQuery.chunks(.runID, summaries.map(\.runID), guardedBy: guarded) {
        defer { start += chunk.count }
        for summary in summaries[start..<start + chunk.count] {
          runs.append(
            ExecutionRecord(
              workflowID: summary.workflowID, runID: summary.runID, workflowType: summary.type,
              status: .running, hasReportedProblems: false, chunk: sizes.count))
        }
        queries.append(.all(guarded + [.isIn(.runID, chunk)]))
        sizes.append(chunk.count)
        chunkBuilds.append(build)
      }
    }
    let event = OverridesReviewed(
      builds: builds, count: runs.count, chunkSizes: sizes, chunkBuilds: chunkBuilds,
      stayOnBuild: stay, noOverride: none, leftPinnedCount: leftCount, leftPinned: left,
      digest: runner.journal.digest(of: runs))
    try record([.overridesReviewed(event)], executions: runs)
    return (event, queries)
  }
}
