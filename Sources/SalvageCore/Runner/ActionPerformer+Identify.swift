extension RunbookRunner.ActionPerformer {
  /// The runbook's problem filter: `TemporalReportedProblems IN (...)`.
  static let reportedProblems = VisibilityQuery.isIn(
    .reportedProblems, ["category=WorkflowTaskFailed", "category=WorkflowTaskTimedOut"])

  /// Lists every execution pinned to the bad build, counts them per Workflow Type and status with
  /// and without the problem filter, and records the list beside the event, hashed.
  ///
  /// `TemporalReportedProblems` appears only after several task failures, so the list is not
  /// filtered by it. Executions whose very first task failed on the bad build are not pinned and
  /// the runbook's query misses them: they are counted on the version's task queues and reported.
  mutating func identify(_ bad: WorkerDeploymentVersion) async throws {
    var records: [ExecutionRecord] = []
    try await temporal.list(.equals(.workerDeploymentVersion, bad.visibilityValue)) {
      records.append(ExecutionRecord($0))
    }
    // In the digest's order, in place, each run once (a run that closed while the list was paged
    // is listed twice): the journal then neither copies nor sorts the set again.
    ExecutionRecord.keepLastListing(&records)
    let queues = try await temporal.describeVersion(bad).taskQueues.map(\.name)
    var unpinned = 0
    if !queues.isEmpty {
      let onQueues = try await temporal.count(
        .all([
          .equals(.executionStatus, "Running"), Self.reportedProblems, .isIn(.taskQueue, queues),
        ]))
      let pinned = records.filter { $0.status == .running && $0.hasReportedProblems }.count
      unpinned = max(0, onQueues - pinned)
    }
    let affected = AffectedGroup.groups(of: records)
    let event = AffectedExecutionsIdentified(
      groups: affected, unpinnedWithProblems: unpinned, executionCount: records.count,
      digest: runner.journal.digest(of: records))
    try record([.affectedIdentified(event)], executions: records)
  }
}
