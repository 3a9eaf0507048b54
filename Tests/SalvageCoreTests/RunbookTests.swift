import SalvageCore
import SalvageFakes
import Testing

@Suite struct RunbookTests {
  @Test func aWholeIncidentWalksEveryPhaseOnlyOnRecordedEvidence() {
    var history = RunbookHistory()
    // Opened: nothing is known about the rollout yet
    #expect(history.state.phase == .opened)
    #expect(history.next == .observeRollout)
    history.observe(current: "v2")
    #expect(history.next == .setCurrentToGood)
    // The stop succeeds, but only a re-describe makes it evidence
    history.act(.stop)
    #expect(history.state.phase == .opened)
    #expect(history.next == .observeRollout)
    history.observe(current: "v1")
    #expect(history.state.phase == .stopped)
    #expect(history.next == .identify)
    // Identified: two Running types need decisions, the closed ones do not
    history.identify([
      .running("OrderWorkflow", 3), .running("PaymentWorkflow", 2), .failed("FailWorkflow", 3),
    ])
    #expect(history.state.phase == .identified)
    #expect(history.next == .awaitDecision(workflowTypes: ["OrderWorkflow", "PaymentWorkflow"]))
    history.decide("OrderWorkflow", restartable: true)
    #expect(history.next == .awaitDecision(workflowTypes: ["PaymentWorkflow"]))
    history.decide("PaymentWorkflow", restartable: false)
    #expect(history.next == .recover(workflowType: "OrderWorkflow"))
    history.act(.recover, subject: "OrderWorkflow")
    #expect(history.state.phase == .identified)
    #expect(history.next == .recover(workflowType: "PaymentWorkflow"))
    history.act(.recover, subject: "PaymentWorkflow")
    #expect(history.state.phase == .recovering)
    #expect(history.next == .drain)
    // Drained only when checked after the last recovery, with nothing Running pinned
    let recoveredAt = history.state.progress.lastRecoveryAt ?? history.lastTime
    history.drainage(
      .drained, checkedAt: UTCTime(millisecondsSinceEpoch: recoveredAt.millisecondsSinceEpoch - 1))
    #expect(history.state.phase == .recovering)
    history.drainage(.drained, checkedAt: history.lastTime, runningPinned: 1)
    #expect(history.state.phase == .recovering)
    history.drainage(.drained, checkedAt: history.lastTime)
    #expect(history.state.phase == .drained)
    #expect(history.next == .freezeClosedTargets)
    // Closed runs are reset chunk by chunk, run-once
    history.record(
      .closedTargetsFrozen(ClosedTargetsFrozen(chunkSizes: [2, 1], alreadyReset: 0, digest: "d")))
    #expect(history.next == .resetClosed(chunk: 0))
    history.act(.resetClosed, subject: "0", safety: .runOnce)
    #expect(history.next == .resetClosed(chunk: 1))
    history.act(.resetClosed, subject: "1", safety: .runOnce)
    // Clean-up waits for the bad workers to go
    #expect(history.next == .checkPollers)
    history.record(.pollersChecked(PollersChecked(identities: ["worker-bad@1"])))
    #expect(history.next == .checkPollers)  // still polled: look again next time
    history.record(.pollersChecked(PollersChecked(identities: [])))
    #expect(history.next == .deleteVersion)
    #expect(history.state.phase == .drained)
    history.record(.versionDeleted(VersionDeleted(confirmed: true)))
    #expect(history.state.phase == .cleaned)
    #expect(history.next == .finished)
    #expect(history.state.anomalies.isEmpty)
  }

  @Test func aRampIsStoppedAtZeroFirstAndThenRemoved() {
    var history = RunbookHistory()
    history.observe(current: "v1", ramping: "v2", percentage: 100)
    #expect(history.next == .zeroRamp)
    history.act(.stop)
    history.observe(current: "v1", ramping: "v2", percentage: 0)
    // A 0 % ramp is still the Ramping Version: not stopped, it would never drain
    #expect(history.state.phase == .opened)
    #expect(history.next == .removeRamp)
    history.act(.stop)
    history.observe(current: "v1")
    #expect(history.state.phase == .stopped)
  }

  @Test func aRolloutAlreadyStoppedByHandIsEvidenceEnough() {
    var history = RunbookHistory()
    history.observe(current: "v1")
    #expect(history.state.phase == .stopped)
  }

  @Test func rollingTheBadBuildOutAgainSendsThePhaseBackToOpened() {
    var history = RunbookHistory()
    history.observe(current: "v1")
    history.identify([.running("OrderWorkflow", 1)])
    #expect(history.state.phase == .identified)
    history.observe(current: "v2")
    #expect(history.state.phase == .opened)
    #expect(history.next == .setCurrentToGood)
  }

  @Test func aRepeatableActionInDoubtIsAbandonedAndRunAgainUnderANewID() {
    var history = RunbookHistory()
    history.observe(current: "v2")
    history.act(.stop, outcome: nil)  // killed after the intent committed
    #expect(history.next == .abandon(action: "stop-1"))
    history.record(
      .actionAbandoned(ActionAbandoned(action: "stop-1", reason: "in doubt after a crash")))
    #expect(history.next == .setCurrentToGood)
    #expect(history.state.progress.nextActionID(.stop) == "stop-2")
  }

  @Test func aRecoveryRepeatedAfterACrashThatMovedNothingDoesNotOutdateAnEarlierDrainedCheck() {
    // Given a recovery whose batch moved everything before the run was killed
    var history = RunbookHistory()
    history.observe(current: "v1")
    history.identify([.running("OrderWorkflow", 2)])
    history.decide("OrderWorkflow", restartable: true)
    history.act(.recover, subject: "OrderWorkflow", outcome: nil)
    let checkedAt = history.lastTime  // the server drains and stops checking
    history.record(
      .actionAbandoned(ActionAbandoned(action: "recover-OrderWorkflow-1", reason: "in doubt")))
    // When the resumed run repeats it and its batch matches nothing
    history.act(.recover, subject: "OrderWorkflow")
    history.record(
      .batchProgressed(
        BatchProgressed(
          action: "recover-OrderWorkflow-2", batchJob: "job-2", finished: true, total: 0,
          complete: 0, failure: 0)))
    history.drainage(.drained, checkedAt: checkedAt)
    // Then the older drained check stands
    #expect(history.state.progress.lastRecoveryAt == nil)
    #expect(history.state.phase == .drained)
  }

  /// Two Running OrderWorkflow executions, decided and their recovery batch launched under `job`
  /// (no progress recorded yet).
  private func batchLaunched(job: String = "job-1") -> RunbookHistory {
    var history = RunbookHistory()
    history.observe(current: "v1")
    history.identify([.running("OrderWorkflow", 2)])
    history.decide("OrderWorkflow", restartable: true)
    history.act(
      .recover, subject: "OrderWorkflow",
      outcome: .some(
        .actionSucceeded(ActionSucceeded(action: "recover-OrderWorkflow-1", batchJob: job))))
    return history
  }

  /// A recovery batch that started `skew` milliseconds from the journal's clock, as the server
  /// reports it, and moved two executions; returns the history and the server's start time.
  private func recoveredByABatch(startedAt skew: Int64) -> (RunbookHistory, UTCTime) {
    var history = batchLaunched()
    let started = UTCTime(millisecondsSinceEpoch: history.lastTime.millisecondsSinceEpoch + skew)
    history.record(
      .batchProgressed(
        BatchProgressed(
          action: "recover-OrderWorkflow-1", batchJob: "job-1", finished: true, total: 2,
          complete: 2, failure: 0,
          startedAt: started, state: .completed)))
    return (history, started)
  }

  @Test(arguments: [-600_000, 600_000] as [Int64])
  func aDrainedCheckAfterTheLastBatchStartedCountsWhateverTheLocalClockAndBeforeTheBatchClosed(
    skew: Int64
  ) {
    // Given a recovery batch that started at S on the server and closed 5 s later, recorded by a
    // machine whose clock is 10 minutes ahead of or behind the server's
    var (history, started) = recoveredByABatch(startedAt: skew)
    // When the server reports drained, checked 1 s after the batch started (before it closed)
    history.drainage(
      .drained, checkedAt: UTCTime(millisecondsSinceEpoch: started.millisecondsSinceEpoch + 1_000))
    // Then the gate holds: it compared the server's two times, not the journal's
    #expect(history.state.phase == .drained)
  }

  @Test(arguments: [-600_000, 600_000] as [Int64])
  func aDrainedCheckBeforeTheLastBatchStartedDoesNotCountWhateverTheLocalClock(skew: Int64) {
    // Given a recovery batch recorded by a machine whose clock is 10 minutes off the server's
    var (history, started) = recoveredByABatch(startedAt: skew)
    // When the server reports drained, checked 1 s before the batch started
    history.drainage(
      .drained, checkedAt: UTCTime(millisecondsSinceEpoch: started.millisecondsSinceEpoch - 1_000))
    // Then it does not count: the incident is still recovering
    #expect(history.state.phase == .recovering)
  }

  @Test func aRecoveryThatMovedSomethingNeedsADrainedCheckAfterIt() {
    // Given a recovery whose batch moved two executions
    var history = batchLaunched()
    let before = history.lastTime
    // (the server says when the batch started: that is what a drained check must follow)
    let recoveredAt = UTCTime(millisecondsSinceEpoch: before.millisecondsSinceEpoch + 500)
    history.record(
      .batchProgressed(
        BatchProgressed(
          action: "recover-OrderWorkflow-1", batchJob: "job-1", finished: true, total: 2,
          complete: 2, failure: 0,
          startedAt: recoveredAt)))
    // When the server's drained check predates it, then it is not drained yet
    history.drainage(.drained, checkedAt: before)
    #expect(history.state.progress.lastRecoveryAt == recoveredAt)
    #expect(history.state.phase == .recovering)
    // And a timeout would say why
    let observed = DrainageObserved(drainage: .drained, checkedAt: before, runningPinned: 0)
    #expect(
      observed.described(after: recoveredAt)
        == "drained, but last checked at \(before), before the last recovery at \(recoveredAt)")
  }

  @Test func aRunOnceActionInDoubtIsReconciledBeforeAnythingElse() {
    var history = drainedWithFrozenTargets(chunks: [2])
    history.act(.resetClosed, subject: "0", safety: .runOnce, outcome: nil)
    #expect(history.next == .reconcile(action: "reset-closed-0-1"))
    // Settled by checking each run against the server: it is never launched again
    history.record(
      .closedRunsReset(
        ClosedRunsReset(
          action: "reset-closed-0-1", chunk: 0,
          outcomes: [
            RunResetOutcome(
              workflowID: "w-1", runID: "r-1", result: .alreadyReset, newRunID: "r-2"),
            RunResetOutcome(workflowID: "w-2", runID: "r-3", result: .reset, newRunID: "r-4"),
          ])))
    history.record(
      .actionReconciled(
        ActionReconciled(
          action: "reset-closed-0-1", tookEffect: true, batchJob: nil,
          evidence: "each run checked against the server")))
    #expect(history.next == .checkPollers)
    #expect(
      history.state.progress.closedResets["reset-closed-0-1"]?.map(\.newRunID) == ["r-2", "r-4"])
  }

  @Test func aRunOnceActionThatNeverStartedIsProposedAgain() {
    var history = drainedWithFrozenTargets(chunks: [2])
    history.act(.resetClosed, subject: "0", safety: .runOnce, outcome: nil)
    history.record(
      .actionReconciled(
        ActionReconciled(
          action: "reset-closed-0-1", tookEffect: false, batchJob: nil,
          evidence: "no batch, no resetRunId")))
    #expect(history.next == .resetClosed(chunk: 0))
    #expect(history.state.progress.nextActionID(.resetClosed, subject: "0") == "reset-closed-0-2")
  }

  @Test func aFailedActionIsProposedAgain() {
    var history = RunbookHistory()
    history.observe(current: "v2")
    history.act(
      .stop, outcome: .some(.actionFailed(ActionFailed(action: "stop-1", message: "unreachable"))))
    #expect(history.next == .setCurrentToGood)
    #expect(history.state.phase == .opened)
  }

  @Test func withOnlyClosedExecutionsAffectedRecoveryIsVacuousAndDrainageIsNext() {
    var history = RunbookHistory()
    history.observe(current: "v1")
    history.identify([.failed("FailWorkflow", 3)])
    #expect(history.state.phase == .recovering)
    #expect(history.next == .drain)
  }

  @Test func aClosedIncidentHasNothingToDo() {
    var history = RunbookHistory()
    history.record(.closed(IncidentClosed(reason: "false alarm")))
    #expect(history.next == .closed)
    #expect(history.state.phase == .closed)
  }

  @Test func outcomesWithoutAStartAndSecondOutcomesAreAnomalies() {
    var history = RunbookHistory()
    history.record(.actionSucceeded(ActionSucceeded(action: "ghost-1")))
    history.act(.stop)
    history.record(.actionFailed(ActionFailed(action: "stop-1", message: "late")))
    #expect(history.state.anomalies.count == 2)
    #expect(history.state.progress.actions.first?.outcome == .succeeded)
  }

  @Test(arguments: [
    (true, false, Strategy.resetToGoodBuild), (false, false, .overrideToReplaySafe),
    (false, true, .resetLastTaskToReplaySafe), (true, true, .resetToGoodBuild),
  ])
  func theStrategyTableFollowsTheRunbook(restartable: Bool, corrupted: Bool, expected: Strategy) {
    #expect(Strategy.choose(restartable: restartable, corrupted: corrupted) == expected)
  }

  @Test func strategiesKnowTheirResetTargetAndWhetherTheyNeedAReplaySafeBuild() {
    #expect(Strategy.resetToGoodBuild.resetTarget == .firstWorkflowTask)
    #expect(Strategy.resetLastTaskToReplaySafe.resetTarget == .lastWorkflowTask)
    #expect(Strategy.overrideToReplaySafe.resetTarget == nil)
    #expect(!Strategy.resetToGoodBuild.needsReplaySafeBuild)
    #expect(Strategy.overrideToReplaySafe.needsReplaySafeBuild)
  }

  @Test func actionIDsAreSafeForIdentitiesAndCountAttempts() {
    var history = RunbookHistory()
    #expect(
      history.state.progress.nextActionID(.recover, subject: "Order Workflow'/x").hasPrefix(
        "recover-Order_Workflow__x."))
    history.act(.recover, subject: "OrderWorkflow")
    #expect(
      history.state.progress.nextActionID(.recover, subject: "OrderWorkflow")
        == "recover-OrderWorkflow-2")
  }

  private func drainedWithFrozenTargets(chunks: [Int]) -> RunbookHistory {
    var history = RunbookHistory()
    history.observe(current: "v1")
    history.identify([.failed("FailWorkflow", chunks.reduce(0, +))])
    history.drainage(.drained, checkedAt: history.lastTime)
    history.record(
      .closedTargetsFrozen(ClosedTargetsFrozen(chunkSizes: chunks, alreadyReset: 0, digest: "d")))
    return history
  }

  @Test func aBatchThatStartedButWasNeverSeenToFinishIsFollowedBeforeAnythingElse() {
    // Given a recovery whose batch launched, and whose run died before the batch finished
    let history = batchLaunched(job: "salvage/inc-1/recover-OrderWorkflow-1")
    // When the runbook decides what comes next
    // Then it follows that batch first, not the drain
    #expect(history.next == .followBatch(action: "recover-OrderWorkflow-1"))
  }

  @Test func anInDoubtRepeatableBatchIsReconciledByItsJobIDNotAbandoned() {
    // Given a recovery whose intent (with its job id) committed, and nothing after it
    var history = RunbookHistory()
    history.observe(current: "v1")
    history.identify([.running("OrderWorkflow", 2)])
    history.decide("OrderWorkflow", restartable: true)
    history.record(
      .actionStarted(
        ActionStarted(
          action: "recover-OrderWorkflow-1", step: .recover, subject: "OrderWorkflow",
          safety: .repeatable,
          command: ["temporal"], identity: "salvage/inc-1/recover-OrderWorkflow-1",
          batchJob: "salvage/inc-1/recover-OrderWorkflow-1")))
    // Then the next action reconciles it (DescribeBatchOperation of its job id)
    #expect(history.next == .reconcile(action: "recover-OrderWorkflow-1"))
  }
}
