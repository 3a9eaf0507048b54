/// Drives the runbook: read the state, ask ``Runbook/nextAction(for:)``, act, record, repeat.
///
/// Every change follows intent before effect (docs/design.md §6): `ActionStarted` (with the exact argv)
/// commits before the call, the outcome after it. A crash in between leaves the action in doubt,
/// and resuming is the same loop: ``Runbook`` proposes to abandon (repeatable) or reconcile
/// (run-once) it before anything else runs.
public struct RunbookRunner: Sendable {
  /// The three places where a crash leaves a different trace; tests kill the process at each.
  public enum Boundary: String, Sendable, CaseIterable {
    /// The intent is not committed yet: nothing happened.
    case beforeIntent = "before-intent"
    /// The intent is committed, the call not made (or not returned).
    case afterIntent = "after-intent"
    /// The call returned, the outcome is not committed.
    case afterCall = "after-call"
  }

  /// How long salvage waits for the server, and how often it looks.
  public struct Timing: Sendable {
    /// Between polls of a batch, drainage or pollers.
    public var poll: Double = 1
    /// The first look at a batch just launched; the wait doubles up to ``poll`` after it (small
    /// batches finish in well under a second).
    public var firstPoll: Double = 0.2
    /// Drainage that has not moved for this long is stalled: the repeatable recoveries run again.
    public var stall: Double = 30
    /// Give up waiting for drainage after this long: the server's default clocks (below) make
    /// `drained` come up to about 6 minutes after the last recovery.
    public var drainTimeout: Double = 900
    /// How often the server checks a draining version (its default
    /// `matching.wv.VersionDrainageStatusRefreshInterval`), until two checks show its own.
    public var drainageRefresh: Double = 180
    /// How long after the last pinned run closed the server reports `drained` (its default
    /// `matching.wv.VersionDrainageStatusVisibilityGracePeriod`).
    public var drainageGrace: Double = 180
    /// Wait this long for workers still polling the bad version to be stopped before asking the
    /// operator again. Workers that stopped and are only remembered are waited out apart from it.
    public var pollerWait: Double = 300
    /// A worker still polling has polled within this long: the server's long poll
    /// (`matching.longPollExpirationInterval`, 60 s) and a margin. See ``PollerSighting``.
    public var livePollWindow: Double = 70
    /// How long the server lists a worker after its last poll (`matching.PollerHistoryTTL`, 5
    /// minutes by default): the wait for a stopped worker to be forgotten.
    public var pollerMemory: Double = 300
    /// How long past ``pollerMemory`` a stopped worker may stay listed before salvage stops
    /// waiting for the server to forget it (the server remembers longer than its default).
    public var pollerMemoryMargin: Double = 60
    /// Before a reset round after the first, wait this long at most for visibility to stop listing
    /// runs an earlier round moved.
    public var visibilityWait: Double = 300
    /// How long after a change was sent the server may still act on it when its answer was lost:
    /// the change's deadline (60 s) and a margin. A batch not found before then is not known
    /// never to start.
    public var lostAnswerWindow: Double = 90
    /// The same for one run's reset, whose deadline is 10 s (the client's): its run is checked
    /// until this has passed before it is sent again.
    public var perRunLostAnswerWindow: Double = 15
    /// Give up following one batch after this long.
    public var batchTimeout: Double = 900
    /// Closed runs per frozen chunk: each chunk is one action, its outcomes journaled together (a
    /// chunk's last resets finish before the next chunk starts, so fewer chunks keep the pace).
    public var chunkSize = 500
    /// salvage's own per-run calls in flight at once, at most: the run's ``CallLimiter`` starts at
    /// 16 (or this, when lower) and adapts up to it.
    public var concurrency = 256
    /// salvage's own per-run calls a second, at most (`--rps`): a closed reset is three (its
    /// check, its first Workflow Task, the reset), so the default 150 is about 50 closed runs a
    /// second, the server batcher's own pace. The server's batcher paces its batches.
    public var callsPerSecond: Double = 150
    /// How long the namespace's rate limit may refuse every per-run read (or every change)
    /// before salvage gives up the refused ones and says to run again: see ``CallLimiter``.
    public var refusalPatience: Double = 900
    public init() {}
  }

  /// The incident's state and every append to it, with this run's lease.
  let owner: IncidentOwner
  let temporal: any TemporalClient
  /// The one pace of this run's per-run calls.
  let limiter: CallLimiter
  /// `temporal` for per-run work: every call paced by ``limiter``.
  let perRun: PerRunTemporalClient
  let dependencies: Dependencies

  var journal: any EventJournal { owner.journal }
  var incident: IncidentID { owner.incident }

  /// A runner that records through `owner`, which holds the run's lease (the CLI's, which also
  /// takes and lets go of the lease and tells the run's output what was recorded).
  public init(owner: IncidentOwner, temporal: any TemporalClient, dependencies: Dependencies) {
    self.owner = owner
    self.temporal = temporal
    self.dependencies = dependencies
    let timing = dependencies.timing
    limiter = CallLimiter(
      .init(
        ceiling: timing.callsPerSecond, maxWidth: timing.concurrency,
        patience: .seconds(timing.refusalPatience)),
      clock: dependencies.clock)
    perRun = PerRunTemporalClient(
      base: temporal, limiter: limiter, stillHeld: { _ = try owner.mayAct() })
  }

  /// A runner over `journal` with an owner of its own, holding `dependencies.lease` when given.
  public init(
    journal: any EventJournal, temporal: any TemporalClient, incident: IncidentID, actor: String,
    dependencies: Dependencies
  ) {
    self.init(
      owner: IncidentOwner(
        journal: journal, incident: incident, actor: actor, newEventID: dependencies.newEventID,
        lease: dependencies.lease),
      temporal: temporal, dependencies: dependencies)
  }

  /// Runs until the incident is cleaned, reaches `until`, or needs a human. A dry run is this same
  /// loop over a scratch copy of the journal and a ``PlanningTemporalClient``.
  ///
  /// With `only`, it carries out that one step (settling in-doubt actions first) and stops when the
  /// next action belongs to a later step; it refuses a step the incident has not reached.
  public func run(
    until: IncidentPhase? = nil, only: RunbookStep? = nil, maxSteps: Int = 10_000
  ) async throws -> StopReason {
    try owner.adopt()
    var performer = ActionPerformer(runner: self)
    let order = RunbookStep.allCases
    // Routing is whatever people made it since the last run: a stop change is decided on an
    // observation this run made, never on one an earlier run left (declined, abandoned, crashed).
    var observedRouting = false
    for _ in 0..<maxSteps {
      // A run that lost the incident (taken over, handed off, sealed here) stops before deciding.
      try owner.checkHold()
      let state = owner.state
      if let until, let phase = state.phase, phase != .closed, phase >= until {
        return .reached(phase)
      }
      var action = Runbook.nextAction(for: state)
      if action.changesDeployment, !observedRouting { action = .observeRollout }
      if action == .observeRollout { observedRouting = true }
      if let only, action.step != only {
        if action == .finished || action == .closed { return .stepDone(only) }
        if let next = action.step {
          let (asked, due) = (order.firstIndex(of: only) ?? 0, order.firstIndex(of: next) ?? 0)
          return due < asked ? .notReady(asked: only, next: next) : .stepDone(only)
        }
        // An action of no step (an in-doubt one to settle) runs first.
      }
      do {
        if let outcome = try await performer.perform(action) { return outcome }
      } catch is Reconsider {
        // Another writer's events came first: decide again from the journal as it is now.
        try owner.adopt()
      }
    }
    throw RunbookError.noProgress(maxSteps)
  }
}

/// Why the runner could not go on.
public enum RunbookError: Error, Equatable, Sendable, CustomStringConvertible {
  case noSuchIncident(IncidentID)
  case noProgress(Int)
  case incidentNotOpened(IncidentID)
  /// Drainage did not reach the gate within `seconds`; `lastRecoveryAt` says whether the last
  /// observation's `drained` check came too early to count.
  case drainTimedOut(seconds: Double, DrainageObserved, lastRecoveryAt: UTCTime?)
  case batchTimedOut(String)
  case batchNeverStarted(String)
  case versionReappeared(WorkerDeploymentVersion)
  /// This run's lease is another run's now (`to`), or was released (`nil`).
  case leaseLost(IncidentID, to: String?)
  /// Another live run holds the incident's lease: this run did not take it.
  case leaseHeld(IncidentID, Lease)
  /// The incident was sealed here (handed off by export) or is a read-only copy.
  case notDrivable(IncidentID, IncidentState.Custody)
  /// A batch exists under an action's job id but was not started by it: its reason is another's
  /// (most likely another journal's incident of the same name on this namespace).
  case batchNotOurs(String, reason: String)

  public var description: String {
    switch self {
    case .noSuchIncident(let id): "no incident \(id)"
    case .noProgress(let steps): "the runbook made no progress in \(steps) steps"
    case .incidentNotOpened(let id): "incident \(id) has no IncidentOpened event"
    case .drainTimedOut(let seconds, let observed, let lastRecovery):
      "the bad version did not drain within \(Int(seconds)) s (drainage "
        + "\(observed.described(after: lastRecovery)), \(observed.runningPinned) Running still "
        + "pinned); run again to keep waiting"
    case .batchTimedOut(let job):
      "batch \(job) did not finish in time; run again to keep following it"
    case .batchNeverStarted(let job):
      "batch \(job) was refused as already started, yet the server does not know it; run again"
    case .versionReappeared(let version):
      "\(version) reappeared after deletion with no pollers listed; check for a worker still running it"
    case .leaseLost(let id, let holder):
      "this run no longer holds incident \(id)'s lease"
        + (holder.map { " (\($0) drives it now)" } ?? "") + "; it stopped without acting further"
    case .leaseHeld(let id, let lease):
      "incident \(id) is being driven by \(lease.holderDescription) (lease until "
        + "\(lease.expiresAt) UTC); wait for it, or take over with --take-over"
    case .notDrivable(let id, let custody): custody.refusal(id)
    case .batchNotOurs(let job, let reason):
      "batch \(job) exists but is not this incident's (its reason is '\(reason)'): another journal "
        + "opened an incident of the same name on this namespace; open this one under another "
        + "--incident id"
    }
  }
}
