import SalvageFakes
import Testing

@testable import SalvageCore

/// The timeline's chart series, computed from a handful of events: exact points, no I/O.
/// ``RunbookHistory`` records event *n* at one second past event *n − 1*, from `start`.
@Suite struct TimelineSeriesTests {
  static let start: Int64 = 1_795_000_000_000

  /// The time of the `n`th event recorded (1-based: the opening is event 1).
  static func event(_ n: Int64) -> UTCTime {
    UTCTime(millisecondsSinceEpoch: start + (n - 1) * 1000)
  }

  static func point(_ n: Int64, _ running: Int) -> Timeline.Point {
    Timeline.Point(at: event(n), running: running)
  }

  static func batch(
    _ action: String, total: Int, complete: Int, failure: Int, state: BatchEnd? = .completed
  ) -> IncidentEvent {
    .batchProgressed(
      BatchProgressed(
        action: action, batchJob: "job-\(action)", finished: true, total: total, complete: complete,
        failure: failure,
        state: state))
  }

  static func launched(_ action: String) -> IncidentEvent {
    .actionSucceeded(ActionSucceeded(action: action, batchJob: "job-\(action)"))
  }

  static func outcome(_ run: String, _ result: RunResetOutcome.Result) -> RunResetOutcome {
    RunResetOutcome(workflowID: "wf-\(run)", runID: "run-\(run)", result: result)
  }

  @Test func aRunningBatchsCountsArePlottedOnlyOnceItHasCountedAndAreMarkedStillRunning() {
    // Given A identified with 3 Running, its batch recorded while the server was still counting
    // (0 of 0), then while running (1 of 3), then finished (3 of 3)
    var history = RunbookHistory()
    history.identify([.running("A", 3)])  // 2
    history.act(.recover, subject: "A", outcome: Self.launched("recover-A-1"))  // 3, 4
    let running = { (total: Int, complete: Int) -> IncidentEvent in
      .batchProgressed(
        BatchProgressed(
          action: "recover-A-1", batchJob: "job-recover-A-1", finished: false, total: total,
          complete: complete, failure: 0))
    }
    history.record(running(0, 0))  // 5
    history.record(running(3, 1))  // 6
    // When the timeline is built while the batch runs, and after it finished
    let whileRunning = Timeline(history.incident, history.events)
    history.record(Self.batch("recover-A-1", total: 3, complete: 3, failure: 0))  // 7
    let finished = Timeline(history.incident, history.events)
    // Then the still-counting record adds no point (it is not 0 left), the running one does, and
    // the command's counts say the batch was still running until it finished
    #expect(
      finished.pinnedByType.first?.points == [Self.point(2, 3), Self.point(6, 2), Self.point(7, 0)])
    #expect(
      whileRunning.commands.last?.batchCounts == "1/3 done, 0 failed, still running")
    #expect(finished.commands.last?.batchCounts == "3/3 done, 0 failed")
  }

  @Test func aRunMovedByTwoRestartRoundsOfAnOlderJournalIsCountedOnce() {
    // Given A identified with 3 Running and frozen for a restart, then rounds as salvage recorded
    // them before rounds took chunks: each over the whole freeze, so the second finds the run the
    // first restarted already restarted, and the other two failed both times
    var history = RunbookHistory()
    history.identify([.running("A", 3)])  // 2
    history.decide("A", restartable: true)  // 3
    history.record(
      .restartTargetsFrozen(
        RestartTargetsFrozen(workflowType: "A", count: 3, refused: [], digest: "d")))  // 4
    func round(_ outcomes: [RunResetOutcome]) {
      let id = history.state.progress.nextActionID(.recover, subject: "A")
      history.act(
        .recover, subject: "A",
        outcome: .runsRestarted(RunsRestarted(action: id, workflowType: "A", outcomes: outcomes)))
    }
    round([Self.outcome("a", .restarted), Self.outcome("b", .failed), Self.outcome("c", .failed)])  // 5, 6
    round([
      Self.outcome("a", .alreadyRestarted), Self.outcome("b", .failed), Self.outcome("c", .failed),
    ])  // 7, 8
    round([Self.outcome("b", .restarted), Self.outcome("c", .restarted)])  // 9, 10
    // When the timeline is built
    let timeline = Timeline(history.incident, history.events)
    // Then A's line reads 2 Running after each of the first two rounds (not 1: the run found
    // already restarted was moved once), and 0 after the third
    #expect(
      timeline.pinnedByType.first?.points == [
        Self.point(2, 3), Self.point(4, 3), Self.point(6, 2), Self.point(8, 2), Self.point(10, 0),
      ])
  }

  @Test func eachTypesLineStepsAtItsIdentificationItsRecoveryBatchesAndADrainedCheck() {
    // Given two types identified, a recovery of A that leaves one failed, a recovery of B whose
    // batch failed as a whole, a drainage check counting 3 in all, a second round of A, then 0
    var history = RunbookHistory()
    history.identify([.running("A", 3), .running("B", 2), .failed("A", 4)])  // 2
    history.act(.recover, subject: "A", outcome: Self.launched("recover-A-1"))  // 3, 4
    history.record(Self.batch("recover-A-1", total: 3, complete: 2, failure: 1))  // 5
    history.act(.recover, subject: "B", outcome: Self.launched("recover-B-1"))  // 6, 7
    history.record(Self.batch("recover-B-1", total: 0, complete: 0, failure: 0, state: .failed))  // 8
    history.drainage(.draining, checkedAt: nil, runningPinned: 3)  // 9
    history.act(.recover, subject: "A", outcome: Self.launched("recover-A-2"))  // 10, 11
    history.record(Self.batch("recover-A-2", total: 1, complete: 1, failure: 0))  // 12
    history.drainage(.drained, checkedAt: nil, runningPinned: 0)  // 13

    // When the timeline is built
    let timeline = Timeline(history.incident, history.events)

    // Then A steps 3 → 1 → 0, B holds 2 until the check that counted 0 (its failed batch said
    // nothing), the failed group is not charted, and the total is identification and drainage only
    #expect(
      timeline.pinnedByType == [
        Timeline.TypeSeries(
          workflowType: "A",
          points: [Self.point(2, 3), Self.point(5, 1), Self.point(12, 0), Self.point(13, 0)]),
        Timeline.TypeSeries(workflowType: "B", points: [Self.point(2, 2), Self.point(13, 0)]),
      ])
    #expect(timeline.series == [Self.point(2, 5), Self.point(9, 3), Self.point(13, 0)])
    #expect(timeline.closedRunsReset.isEmpty)
  }

  @Test func aTypeALaterIdentificationNoLongerListsDropsToZero() {
    // Given A and B identified, then a second identification that finds only B
    var history = RunbookHistory()
    history.identify([.running("A", 1), .running("B", 4)])  // 2
    history.identify([.running("B", 2), .failed("A", 1)])  // 3

    // When the timeline is built
    let timeline = Timeline(history.incident, history.events)

    // Then A's line goes to 0 at the second identification
    #expect(
      timeline.pinnedByType == [
        Timeline.TypeSeries(workflowType: "A", points: [Self.point(2, 1), Self.point(3, 0)]),
        Timeline.TypeSeries(workflowType: "B", points: [Self.point(2, 4), Self.point(3, 2)]),
      ])
  }

  @Test func closedRunsResetCountEachRunOnceAndKeepAlreadyResetApart() {
    // Given a chunk where one run is reset, one found already reset, one refused, one left
    // alone; then the chunk again, resetting the refused one and finding the other two reset
    var history = RunbookHistory()
    history.act(
      .resetClosed, subject: "0", safety: .runOnce,
      outcome: .closedRunsReset(
        ClosedRunsReset(
          action: "reset-closed-0-1", chunk: 0,
          outcomes: [
            Self.outcome("1", .reset), Self.outcome("2", .alreadyReset), Self.outcome("3", .failed),
            Self.outcome("4", .leftAlone),
          ])))  // 2, 3
    history.act(
      .resetClosed, subject: "0", safety: .runOnce,
      outcome: .closedRunsReset(
        ClosedRunsReset(
          action: "reset-closed-0-2", chunk: 0,
          outcomes: [
            Self.outcome("1", .alreadyReset), Self.outcome("2", .alreadyReset),
            Self.outcome("3", .reset),
          ])))  // 4, 5

    // When the timeline is built
    let timeline = Timeline(history.incident, history.events)

    // Then run 1 counts once, as reset (not also as already reset), and run 2 stays apart
    #expect(
      timeline.closedRunsReset == [
        Timeline.ResetPoint(at: Self.event(3), reset: 1, alreadyReset: 1),
        Timeline.ResetPoint(at: Self.event(5), reset: 2, alreadyReset: 1),
      ])
    #expect(timeline.pinnedByType.isEmpty)
  }

  @Test func anOlderJournalsResetBatchesCountTheirCompleteRunsOncePerChunk() {
    // Given chunk 0 reset by a batch of 5, sent again (3 complete), and chunk 1 by a batch of 2
    var history = RunbookHistory()
    history.act(
      .resetClosed, subject: "0", safety: .runOnce, outcome: Self.launched("reset-closed-0-1"))  // 2, 3
    history.record(Self.batch("reset-closed-0-1", total: 5, complete: 5, failure: 0))  // 4
    history.act(
      .resetClosed, subject: "0", safety: .runOnce, outcome: Self.launched("reset-closed-0-2"))  // 5, 6
    history.record(Self.batch("reset-closed-0-2", total: 5, complete: 3, failure: 2))  // 7
    history.act(
      .resetClosed, subject: "1", safety: .runOnce, outcome: Self.launched("reset-closed-1-1"))  // 8, 9
    history.record(Self.batch("reset-closed-1-1", total: 2, complete: 2, failure: 0))  // 10

    // When the timeline is built
    let timeline = Timeline(history.incident, history.events)

    // Then chunk 0 counts its largest batch, 5, and chunk 1 adds 2; no type line comes of them
    #expect(
      timeline.closedRunsReset == [
        Timeline.ResetPoint(at: Self.event(4), reset: 5, alreadyReset: 0),
        Timeline.ResetPoint(at: Self.event(7), reset: 5, alreadyReset: 0),
        Timeline.ResetPoint(at: Self.event(10), reset: 7, alreadyReset: 0),
      ])
    #expect(timeline.pinnedByType.isEmpty)
  }
}
