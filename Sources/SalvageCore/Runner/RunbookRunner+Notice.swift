extension RunbookRunner {
  /// What the operator must know that no recorded event says, with its values: the CLI words it.
  /// What an event says (a batch's counts, a decision, a reset chunk) is told from the event.
  public enum Notice: Equatable, Sendable {
    /// An interrupted run launched this action's batch and never saw it finish: it is followed.
    case followingBatch(action: String, batchJob: String)
    /// The batch was found already started under the action's job id: it is followed.
    case batchAlreadyStarted(action: String, batchJob: String)
    /// The launch answered an error, but the batch exists under its job id: it is followed.
    case launchAnsweredButBatchExists(action: String, batchJob: String, answer: String)
    /// A recovery batch did not take effect on every target: its targets are counted again.
    case roundAgain(BatchProgressed)
    /// A restart round left `failed` runs not restarted: another round checks them again.
    case restartAgain(action: String, failed: Int)
    /// An interrupted run-by-run action is settled by checking each of its runs on the server.
    case checkingEachRun(action: String)
    /// Some runs of an interrupted chunk are not reset yet, but a reset the interrupted run sent
    /// just before it died may still land: nothing is sent to them for `seconds`.
    case waitingOutLostResets(action: String, runs: Int, seconds: Double)
    /// Visibility selects none of the type's identified Running executions by name, though some
    /// are still Running on the bad build: this round (or freeze) is scoped by run id.
    case scopedByRunID(workflowType: String, identified: Int)
    /// Before a reset round after the first: of the `listed` runs visibility shows Running on the
    /// bad build, the server shows at least one moved (`moved` says which); the round waits.
    case visibilityBehind(workflowType: String, listed: Int, moved: String)
    /// The drain wait begins: the server first checks drainage `grace` seconds after the version
    /// left routing, then about every `refresh` seconds; the run gives up after `timeout`.
    case awaitingDrainage(WorkerDeploymentVersion, refresh: Int, grace: Int, timeout: Int)
    /// The drainage gate holds for the bad version.
    case drained(WorkerDeploymentVersion)
    /// Drainage did not move for `seconds`: the repeatable recoveries run again.
    case drainageStalled(seconds: Int)
    /// The attribute does not decide the type: the counts of its Running executions.
    case attributeUndecided(
      workflowType: String, attribute: SearchAttribute, yes: Int, no: Int, total: Int)
    /// The attribute's answer makes no valid decision for the type; `reason` says why.
    case attributeRefused(workflowType: String, attribute: SearchAttribute, reason: String)
    /// Workers still poll the bad version: the run waits for them to be stopped.
    case waitingForPollers(WorkerDeploymentVersion, identities: [String])
    /// The only pollers listed stopped polling; the server lists them until it forgets them, and
    /// the run waits for that (nothing for the operator to do).
    case pollersRemembered(WorkerDeploymentVersion, [PollerSighting.Remembered], memory: Int)
    /// The namespace's rate limit refused `refused` of this action's per-run calls (each sent
    /// again): salvage slowed down to the pace and the number in flight its limiter now allows.
    case slowedByRateLimit(action: String, refused: Int, pace: CallLimiter.Reading)
  }

  /// The counts of a long wait while it lasts (the CLI shows them on a terminal's progress line).
  public enum Progress: Equatable, Sendable {
    /// A batch is followed: its counts so far, `waited` seconds in.
    case batch(job: String, complete: Int, total: Int, waited: Int)
    /// Drainage is awaited: what the server last said and when, `waited` seconds in.
    case drainage(DrainageWait)
    /// Another batch holds the namespace's batch slot: the launch is tried again in `seconds`.
    case batchSlotBusy(retryIn: Double)
    /// A reset round waits for visibility to stop listing runs the server shows moved.
    case visibility(workflowType: String, waited: Int)
    /// Clean-up waits for `live` workers to be stopped (`waited` seconds so far) and for the
    /// server to forget the `remembered` ones.
    case pollers(live: [LivePoller], remembered: [PollerSighting.Remembered], waited: Int)
  }
}

/// A drain wait as the operator reads it: the server's last word and how old it is.
public struct DrainageWait: Equatable, Sendable {
  /// The drainage status the server last reported.
  public let status: DrainageStatus
  /// Running executions visibility still shows pinned to the bad build.
  public let runningPinned: Int
  /// Seconds this run has waited so far.
  public let waited: Int
  /// Seconds since the server last checked drainage; `nil` before its first check.
  public let lastCheckedAgo: Int?
  /// Seconds between the server's checks: seen between two of them, or its default.
  public let refresh: Int
  /// Whether ``refresh`` was seen between two checks (rather than the server's default).
  public let refreshSeen: Bool

  public init(
    status: DrainageStatus, runningPinned: Int, waited: Int, lastCheckedAgo: Int?, refresh: Int,
    refreshSeen: Bool
  ) {
    self.status = status
    self.runningPinned = runningPinned
    self.waited = waited
    self.lastCheckedAgo = lastCheckedAgo
    self.refresh = refresh
    self.refreshSeen = refreshSeen
  }
}

/// A worker still polling, with how long ago it last polled when the server says.
public struct LivePoller: Equatable, Sendable {
  public let identity: String
  public let lastPolledAgo: Int?

  public init(identity: String, lastPolledAgo: Int?) {
    self.identity = identity
    self.lastPolledAgo = lastPolledAgo
  }
}
