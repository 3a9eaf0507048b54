/// The port to Temporal as salvage's per-run work sees it: every call goes through the run's one
/// ``CallLimiter``, which paces it, adapts how many are in flight, and sends a call the
/// namespace's rate limit refused again, slower, instead of failing it.
///
/// Only the calls made for one Workflow run at a time are paced here (describes, first events,
/// reset origins, and the per-run changes); the rest go straight through: visibility pages are
/// retried by the adapter, and a batch or a deployment change has its own in-doubt handling.
struct PerRunTemporalClient: TemporalClient {
  let base: any TemporalClient
  let limiter: CallLimiter
  /// Throws once the run no longer holds the incident: a refused read is not sent again then.
  var stillHeld: @Sendable () throws -> Void = {}

  func describeDeployment(_ name: String) async throws -> DeploymentDescription {
    try await base.describeDeployment(name)
  }

  func describeVersion(_ version: WorkerDeploymentVersion) async throws -> VersionDescription {
    try await base.describeVersion(version)
  }

  func serverVersion() async throws -> String { try await base.serverVersion() }

  func describeNamespace() async throws -> NamespaceDescription {
    try await base.describeNamespace()
  }

  func count(_ query: VisibilityQuery) async throws -> Int {
    try await base.count(query)
  }

  func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void)
    async throws
  {
    try await base.list(query, each)
  }

  func describeBatch(_ id: BatchJobID) async throws -> BatchJob {
    try await base.describeBatch(id)
  }

  func pollers(of version: WorkerDeploymentVersion, on taskQueues: [VersionDescription.TaskQueue])
    async throws -> [Poller]
  {
    try await base.pollers(of: version, on: taskQueues)
  }

  func intent(of change: TemporalChange, context: ChangeContext) throws -> ChangeIntent {
    try base.intent(of: change, context: context)
  }

  func describeWorkflow(id: String, runID: String?) async throws -> WorkflowDescription {
    let base = self.base
    return try await limiter.run(stillHeld: stillHeld) {
      try await base.describeWorkflow(id: id, runID: runID)
    }
  }

  func firstEvent(workflowID: String, runID: String) async throws -> FirstEvent {
    let base = self.base
    return try await limiter.run(stillHeld: stillHeld) {
      try await base.firstEvent(workflowID: workflowID, runID: runID)
    }
  }

  func resetOrigin(workflowID: String, newRunID: String) async throws -> ResetOrigin? {
    let base = self.base
    return try await limiter.run(stillHeld: stillHeld) {
      try await base.resetOrigin(workflowID: workflowID, newRunID: newRunID)
    }
  }

  /// A per-run change is paced, but never sent again here: a refusal is thrown to the run's own
  /// loop, which checks the run again (and asks whether it may still act) before it sends again.
  func perform(_ change: TemporalChange, context: ChangeContext) async throws -> ChangeResult {
    let base = self.base
    guard change.isPerRun else { return try await base.perform(change, context: context) }
    return try await limiter.run(cost: change.calls, kind: .change) {
      try await base.perform(change, context: context)
    }
  }

  /// The same, asking `mayAct` once the limiter lets the change through, just before it is sent
  /// (a change may wait its turn for minutes while the namespace refuses calls, and the incident
  /// may be taken over or closed meanwhile): `nil` when the incident was closed and it was not
  /// sent; the lost lease's error when it was taken over.
  func perform(_ change: TemporalChange, context: ChangeContext, mayAct: RunbookRunner.MayAct)
    async throws -> ChangeResult?
  {
    let base = self.base
    return try await limiter.run(cost: change.calls, kind: .change) {
      guard try mayAct() == .act else { return nil }
      return try await base.perform(change, context: context)
    }
  }
}
