public import SalvageCore
import Synchronization

/// The server's failures, as production shows them: refusals, rate limits, lost answers, late
/// effects, visibility lag and crashes in the middle of a call.
extension ScriptedCluster {
  /// The next change throws `error` instead of taking effect.
  public func failNextChange(with error: TemporalError) {
    world.withLock { $0.failNextChange = error }
  }

  /// The next `batches` batches that select `type` each fail on `each` of its executions.
  public func failBatches(on type: String, each: Int, batches: Int = 1) {
    world.withLock { $0.batchFailures[type] = (each, batches) }
  }

  /// The next `count` batches fail as a whole: state FAILED, no counts, nothing touched.
  public func failWholeBatches(_ count: Int) { world.withLock { $0.failWholeBatches = count } }

  /// Batch resets terminate the runs they replace without naming the new run on them, as a
  /// terminate-and-start by hand would: only a newer current run tells them apart from targets.
  public func batchResetsLeaveNoResetRunID() { world.withLock { $0.batchResetsNameNewRun = false } }

  /// The server refuses the next reset of `runID` with `message`.
  public func refuseReset(of runID: String, _ message: String) {
    world.withLock { $0.refuseReset[runID] = message }
  }

  /// The next list pages across a change, as a production server's visibility does when a run's
  /// sort key moves between two pages: the run of `workflowID` is listed as it is, then closes
  /// with `status`, then is listed again, closed, on a later page.
  public func closeWhileListing(_ workflowID: String, as status: ExecutionStatus) {
    world.withLock { $0.closeWhileListing = (workflowID, status) }
  }

  /// Visibility (counts, lists, and the batches' selections) answers from the executions as they
  /// were `seconds` of server time ago, as a production cluster's visibility store lags behind its
  /// history. Describes and histories stay exact.
  public func lagVisibility(seconds: Double) {
    world.withLock { $0.visibilityLag = Int64(seconds * 1000) }
  }

  /// The batch launch of `action` times out on the way back (`DEADLINE_EXCEEDED`), and the server
  /// starts the batch `seconds` of server time later, as a busy frontend that queued it would.
  public func startLate(action: String, afterSeconds seconds: Double) {
    world.withLock { $0.lateLaunch = (action, Int64(seconds * 1000)) }
  }

  /// From now on, reading who reset a run of `workflowID` fails, as a history read the server
  /// refuses (rate limited, timed out).
  public func failResetOrigins(of workflowID: String) {
    world.withLock { _ = $0.unreadableResetOrigins.insert(workflowID) }
  }

  /// From now on, reading the first event of any run of `workflowID` fails.
  public func failFirstEvents(of workflowID: String) {
    world.withLock { _ = $0.unreadableFirstEvents.insert(workflowID) }
  }

  /// After `reads` more history reads have answered, every one fails with `error` (the server
  /// went out of reach). ``historyReadsFailed`` counts the failed ones.
  public func failHistoryReads(after reads: Int, with error: TemporalError) {
    world.withLock { $0.historyOutage = (reads, error) }
  }

  /// How many history reads failed in an outage.
  public var historyReadsFailed: Int { world.withLock { $0.historyReadsFailed } }

  /// Every `n`-th per-run change (a reset, terminate or start) is refused with RESOURCE_EXHAUSTED
  /// before it acts, as a namespace's rate limit refuses calls above its rate. Reads are not: the
  /// client tries those again itself.
  public func rateLimitPerRunChanges(every n: Int) {
    world.withLock { $0.rateLimitEvery = n }
  }

  /// Every per-run change is refused with RESOURCE_EXHAUSTED before it acts while `refusing`
  /// says so: a namespace whose rate limit another client uses up for minutes.
  public func throttlePerRunChanges(while refusing: @escaping @Sendable () -> Bool) {
    world.withLock { $0.throttled = refusing }
  }

  /// Every describe of a run is refused with RESOURCE_EXHAUSTED while `refusing` says so: a
  /// namespace whose read limit is used up. ``refusedReads`` counts them.
  public func throttleRunDescribes(while refusing: @escaping @Sendable () -> Bool) {
    world.withLock { $0.throttledReads = refusing }
  }

  /// How many describes of a run were refused.
  public var refusedReads: Int { world.withLock { $0.refusedReads } }

  /// Every `n`-th per-run change fails before it reaches the server: the connection it would go
  /// over could not be made (`UNAVAILABLE` "Could not establish a connection"), as while the
  /// client reconnects after a drop. Nothing was sent.
  public func failPerRunChangesUnsent(every n: Int) {
    world.withLock {
      $0.rateLimitEvery = n
      $0.perRunRefusal = .unreachable("Could not establish a connection to the server")
    }
  }

  /// The next reset of `runID` times out on the way back (`DEADLINE_EXCEEDED`), and takes effect
  /// on the server `seconds` of server time later: a reply lost after the change applied, late.
  /// With `insteadByHand`, the lost reset never takes effect, and a person resets the run
  /// `seconds` later instead, giving that reason.
  public func resetLate(
    _ runID: String, afterSeconds seconds: Double, insteadByHand reason: String? = nil
  ) {
    world.withLock {
      $0.lateResets[runID] = (
        Int64(seconds * 1000),
        reason.map { ChangeContext(identity: "temporal-cli", reason: $0) }
      )
    }
  }

  /// The `nth` per-run change (a reset, terminate or start) takes effect, but its answer never
  /// comes back: the call fails as its deadline passes (counted as ``afterRunChange(_:_:)`` counts).
  public func loseAnswer(ofRunChange nth: Int) {
    world.withLock { $0.loseAnswerOfRunChange = nth }
  }

  /// Once the `nth` per-run change (a reset, terminate or start) has taken effect and answered,
  /// `happen` runs: someone else acts in the middle of a long action (takes the incident over).
  public func afterRunChange(_ nth: Int, _ happen: @escaping @Sendable () -> Void) {
    world.withLock {
      $0.afterRunChange = (nth, happen)
      $0.runChanges = 0
    }
  }

  /// The process dies during the `nth` change of `action` (its id), after or before the server got it.
  public func crashMidCall(action: String, nth: Int = 1, delivered: Bool) {
    world.withLock {
      $0.midCall = (action, nth, delivered)
      $0.callsOfAction = [:]
    }
  }
}
