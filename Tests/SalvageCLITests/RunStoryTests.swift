import Foundation
import SalvageCore
import Testing

@testable import SalvageCLI

/// A run's text is told from the events it records and the runner's notices: each line the
/// operator saw when the runner printed them itself.
@Suite struct RunStoryTests {
  static let incident = IncidentID(rawValue: "inc-1")!

  /// Events as a journal hands them back, numbered from `first`.
  static func recorded(_ events: [IncidentEvent], from first: Int = 1) -> [RecordedEvent] {
    recordedEvents(
      events, of: incident, from: first, startingAt: 1_795_000_000_000 + Int64(first) * 1000)
  }

  /// The story of an incident opened for `orders`, bad build v2.
  static func story() -> RunStory {
    var state = IncidentState(incident: incident)
    for event in recorded([
      .opened(
        IncidentOpened(
          deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default",
          title: "Bad rollout", operatorName: "alice"))
    ]) {
      state.apply(event)
    }
    return RunStory(state)
  }

  @Test func aRestartRoundIsOneLineWithItsRunsLeftAloneAndItsEndAddsNothing() {
    // Given a run's story
    var story = Self.story()
    // When a restart round's outcomes and the action's end are committed together
    let told = story.tellFolding(
      Self.recorded(
        [
          .runsRestarted(
            RunsRestarted(
              action: "recover-T-1", workflowType: "T",
              outcomes: [
                RunResetOutcome(workflowID: "wf-1", runID: "r-1", result: .restarted),
                RunResetOutcome(
                  workflowID: "wf-2", runID: "r-2", result: .leftAlone, reason: "it completed"),
              ])),
          .actionSucceeded(ActionSucceeded(action: "recover-T-1")),
        ], from: 2))
    // Then the round's line and its run left alone are all there is
    #expect(
      told.lines == [
        "recover-T-1: T: 1 terminated and restarted, 0 already restarted, 1 left alone, 0 failed",
        "  left alone wf-2 r-2: it completed",
      ])
    #expect(told.progress == nil)
  }

  @Test func aChangeSaysDoneAndABatchItsCountsWithWhatFailed() {
    // Given a run's story
    var story = Self.story()
    // When a stop succeeds, then a recovery batch launches and finishes with a failure
    let told = story.tellFolding(
      Self.recorded(
        [
          .actionSucceeded(ActionSucceeded(action: "stop-1")),
          .actionSucceeded(ActionSucceeded(action: "recover-T-1", batchJob: "job-1")),
          .batchProgressed(
            BatchProgressed(
              action: "recover-T-1", batchJob: "job-1", finished: true, total: 3, complete: 2,
              failure: 1, state: .completed)),
        ], from: 2))
    // Then each says so, the failure in capitals
    #expect(
      told.lines == [
        "stop-1: done", "recover-T-1: done, batch job-1", "batch job-1: 2/3 done, 1 FAILED",
      ])
  }

  @Test func drainageGoesOnlyToTheProgressLineNamingTheBadVersion() {
    // Given a run's story
    var story = Self.story()
    // When a drainage observation is committed
    let told = story.tellFolding(
      Self.recorded(
        [
          .drainageObserved(DrainageObserved(drainage: .draining, checkedAt: nil, runningPinned: 2))
        ],
        from: 2))
    // Then it is the progress line, with the bad version, and no line of the record
    #expect(told.lines.isEmpty)
    #expect(told.progress == "drainage draining, 2 Running still pinned to orders:v2")
  }

  @Test func theAffectedGroupsSayWhatHappensToTheirClosedRuns() {
    // Given a run's story
    var story = Self.story()
    // When identification is committed with a Running and a Failed group and unpinned executions
    let told = story.tellFolding(
      Self.recorded(
        [
          .affectedIdentified(
            AffectedExecutionsIdentified(
              groups: [
                AffectedGroup(
                  workflowType: "T", status: .running, count: 2, withReportedProblems: 2),
                AffectedGroup(
                  workflowType: "T", status: .failed, count: 1, withReportedProblems: 0),
              ], unpinnedWithProblems: 1, executionCount: 3, digest: "d"))
        ], from: 2))
    // Then each group has its line, the closed one its fate, and the unpinned ones a warning
    #expect(
      told.lines == [
        "affected: T Running: 2 (2 with reported problems)",
        "affected: T Failed: 1 (0 with reported problems), reset after drainage (chosen: Failed, TimedOut)",
        "warning: 1 Running executions with reported problems on the task queues of orders:v2 are "
          + "not pinned to it (their first task failed there); the runbook's query misses them",
      ])
  }

  @Test func textShowsEachEventOnceEvenWhenAnAppendHandsItBackAgain() {
    // Given a run's text output in a pipe, following the incident
    let written = Written()
    let output = RunOutput(
      json: false, text: ProgressLine(isTerminal: false, noColor: nil, write: written.write),
      writeLine: { written.write($0 + "\n") }, elapsed: { 3 })
    output.follow(Self.story().state)
    let succeeded = Self.recorded([.actionSucceeded(ActionSucceeded(action: "stop-1"))], from: 2)
    // When the same event comes twice, then a notice and a wait
    let after = Self.story().folding(succeeded)
    output.recorded(succeeded, after: after)
    output.recorded(succeeded, after: after)
    output.notice(.drainageStalled(seconds: 30))
    output.progress(
      .drainage(
        DrainageWait(
          status: .draining, runningPinned: 1, waited: 40, lastCheckedAgo: 12, refresh: 180,
          refreshSeen: false)))
    // Then it is printed once, the notice after it, and no progress line in a pipe
    #expect(
      written.lines == ["  stop-1: done", "  drainage stalled for 30 s: recovering the rest again"])
  }
}

extension RunStory {
  /// Tells `events` from the state they leave, folded here as the run's owner would have it.
  mutating func tellFolding(_ events: [RecordedEvent]) -> Told {
    tell(events, after: folding(events))
  }

  /// The state `events` leave, folded onto this story's.
  func folding(_ events: [RecordedEvent]) -> IncidentState {
    var after = state
    for event in events { after.apply(event) }
    return after
  }
}
