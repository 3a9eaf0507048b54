import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import Synchronization
import Testing

@testable import SalvageCLI

/// `salvage watch` in process: the frame it works out from a state, how a pipe and a terminal
/// show it, and a watcher following a whole run on the same journal file.
@Suite struct WatchTests {
  static let incident = IncidentID(rawValue: "orders-1")!
  static let alice = Lease(
    holder: "alice", host: "host-a", expiresAt: UTCTime(millisecondsSinceEpoch: 1_795_000_060_000),
    runID: "r1", pid: 42)

  static func state(_ events: [IncidentEvent]) -> IncidentState {
    var state = IncidentState(incident: incident)
    for event in recordedEvents(events, of: incident) { state.apply(event) }
    return state
  }

  static func value(_ frame: WatchFrame, _ name: String) -> String? {
    frame.fields.first { $0.name == name }?.value
  }

  /// The opening, the rollout stopped, and `count` Running OrderWorkflow identified.
  static func identified(_ count: Int) -> [IncidentEvent] {
    [
      EventFactory.opened,
      .rolloutObserved(RolloutObserved(currentBuild: "v1", rampingBuild: nil, rampPercentage: 0)),
      .affectedIdentified(
        AffectedExecutionsIdentified(
          groups: [
            AffectedGroup(
              workflowType: "OrderWorkflow", status: .running, count: count,
              withReportedProblems: 0)
          ], unpinnedWithProblems: 0, executionCount: count, digest: "d")),
    ]
  }

  /// OrderWorkflow's recovery launched as batch job-7.
  static let launched: [IncidentEvent] = [
    .actionStarted(
      ActionStarted(
        action: "recover-OrderWorkflow-1", step: .recover, subject: "OrderWorkflow",
        safety: .repeatable, command: ["temporal", "workflow", "reset"], identity: "salvage/1")),
    .actionSucceeded(ActionSucceeded(action: "recover-OrderWorkflow-1", batchJob: "job-7")),
  ]

  /// The opened incident, the rollout's observation that stops it, and the state after it.
  static func stopping() -> (IncidentState, RecordedEvent, IncidentState) {
    let opened = state([EventFactory.opened])
    let observed = recordedEvents(
      [
        EventFactory.opened,
        .rolloutObserved(RolloutObserved(currentBuild: "v1", rampingBuild: nil, rampPercentage: 0)),
      ], of: incident)[1]
    var stopped = opened
    stopped.apply(observed)
    return (opened, observed, stopped)
  }

  static let decided = IncidentEvent.strategyDecided(
    StrategyDecided(
      workflowType: "OrderWorkflow", restartable: true, corrupted: false,
      strategy: .resetToGoodBuild, targetBuild: "v1", source: .operatorDecision,
      rationale: "stateless"))

  @Test(
    "A watch says who drives, the batch in flight with its counts, and that the run does what is next"
  )
  func aWatchSaysWhoDrivesTheBatchInFlightWithItsCountsAndThatTheRunDoesWhatIsNext() {
    // Given an incident whose recovery batch launched and recorded 120 of 300 done
    let state = Self.state(
      Self.identified(300) + [Self.decided] + Self.launched + [
        .batchProgressed(
          BatchProgressed(
            action: "recover-OrderWorkflow-1", batchJob: "job-7", finished: false, total: 300,
            complete: 120, failure: 0))
      ])
    // When a watcher on another host looks while alice's run holds the lease
    let frame = WatchFrame(state, driver: .heldBy(Self.alice))
    // Then it shows the phase, alice's run, the batch's counts, and the run's next action
    #expect(Self.value(frame, "phase") == "identified")
    #expect(Self.value(frame, "driving") == "alice (pid 42 on host-a)")
    #expect(
      Self.value(frame, "batch")
        == "job-7 of recover-OrderWorkflow-1: 120/300 done, 0 failed, still running")
    #expect(
      StatusView(state).text.contains("  batch       job-7 of recover-OrderWorkflow-1: 120/300"))
    #expect(
      Self.value(frame, "next")
        == "follow the batch of recover-OrderWorkflow-1 until it finishes (the driving run does it)"
    )
    #expect(frame.status.hasSuffix("lease until 2026-11-18T11:07:40.000Z UTC"))
    #expect(!frame.isFinal)
  }

  @Test(
    "While a run drives, an action in flight is its next step, not an interrupted one to settle")
  func whileARunDrivesAnActionInFlightIsItsNextStepNotAnInterruptedOneToSettle() {
    // Given an incident whose stop action started and has no outcome yet
    let state = Self.state([
      EventFactory.opened,
      .rolloutObserved(RolloutObserved(currentBuild: "v2", rampingBuild: nil, rampPercentage: 0)),
      .actionStarted(
        ActionStarted(
          action: "stop-1", step: .stop, safety: .repeatable, command: ["temporal"],
          identity: "salvage/1")),
    ])
    // When it is watched while alice's run drives it, and after her run's lease ran out
    let driven = WatchFrame(state, driver: .heldBy(Self.alice))
    let abandoned = WatchFrame(state, driver: .expired(Self.alice))
    // Then the driven one shows stop-1 in flight, to be finished by the run; the other shows it in
    // doubt, for the next run to settle
    #expect(Self.value(driven, "doing")?.hasPrefix("stop-1 since ") == true)
    #expect(Self.value(driven, "next") == "finish stop-1 (the driving run does it)")
    #expect(Self.value(abandoned, "in doubt")?.hasSuffix("(the next run settles it first)") == true)
    #expect(
      Self.value(abandoned, "next")
        == "record the interrupted action stop-1 as abandoned and run it again; nobody drives: "
        + "run 'salvage run'")
  }

  @Test("A watch of the drain wait says what the server must report and when it last checked")
  func aWatchOfTheDrainWaitSaysWhatTheServerMustReportAndWhenItLastChecked() {
    // Given an incident recovering whose last drainage look found it draining
    let checked = UTCTime(millisecondsSinceEpoch: 1_795_000_100_000)
    let state = Self.state(
      Self.identified(3) + [Self.decided] + Self.launched + [
        .batchProgressed(
          BatchProgressed(
            action: "recover-OrderWorkflow-1", batchJob: "job-7", finished: true, total: 3,
            complete: 3, failure: 0, state: .completed)),
        .drainageObserved(
          DrainageObserved(drainage: .draining, checkedAt: checked, runningPinned: 0)),
      ])
    // When nobody drives it (the run's lease ran out)
    let frame = WatchFrame(state, driver: .expired(Self.alice))
    // Then the wait names the server's report it needs, the last check, and the default clocks;
    // and the next thing is a person's: run salvage run
    let waiting = Self.value(frame, "waiting") ?? ""
    #expect(
      waiting.hasPrefix("the server to report orders:v2 drained: it says draining, 0 Running"))
    #expect(waiting.contains("last checked \(checked) UTC"))
    #expect(waiting.contains("every 3 min"))
    #expect(
      Self.value(frame, "driving")?.hasPrefix("nobody: alice (pid 42 on host-a)'s lease ran out")
        == true)
    #expect(
      Self.value(frame, "next")
        == "wait for the bad version to drain; nobody drives: run 'salvage run'")
  }

  @Test("A watch waiting for a decision names the person's command, and ends at --until")
  func aWatchWaitingForADecisionNamesThePersonsCommandAndEndsAtUntil() {
    // Given an identified incident with OrderWorkflow undecided
    let state = Self.state(Self.identified(3))
    // When it is watched with nobody driving, and with --until identified
    let frame = WatchFrame(state, driver: .free)
    let untilIdentified = WatchFrame(state, driver: .free, until: .identified)
    // Then the wait is a person's decision, with the command to record it
    #expect(Self.value(frame, "waiting") == "a person to decide the strategy of OrderWorkflow")
    #expect(
      Self.value(frame, "next")?.hasPrefix(
        "decide the strategy of OrderWorkflow: salvage decide --type OrderWorkflow") == true)
    #expect(Self.value(frame, "driving") == "nobody")
    #expect(!frame.isFinal)
    #expect(untilIdentified.isFinal)
  }

  @Test("A watch of an incident sealed here by a handoff says where it is driven from, and ends")
  func aWatchOfAnIncidentSealedHereByAHandoffSaysWhereItIsDrivenFromAndEnds() {
    // Given an incident handed off to bob by export, sealed in this journal
    let state = Self.state([
      EventFactory.opened,
      .handedOff(HandedOff(from: "alice", to: "bob", note: nil, export: "inc.jsonl")),
    ])
    // When it is watched here
    let frame = WatchFrame(state, driver: .free)
    // Then the next thing names the journal that drives it, not 'salvage run', and the watch ends
    #expect(
      Self.value(frame, "next")?.hasPrefix(
        "incident orders-1 was handed off to bob in inc.jsonl at ") == true)
    #expect(Self.value(frame, "next")?.contains("salvage run") == false)
    #expect(frame.isFinal)
  }

  @Test("In a pipe, a watch prints the title once, then one line per event and per changed field")
  func inAPipeAWatchPrintsTheTitleOnceThenOneLinePerEventAndPerChangedField() {
    // Given a pipe
    let written = Written()
    let screen = WatchScreen(isTerminal: false, width: { 80 }, write: written.write)
    let (opened, observed, stopped) = Self.stopping()
    // When it is shown the opened incident twice, then the frame after the rollout's observation
    screen.show(WatchFrame(opened, driver: .free), after: [])
    screen.show(WatchFrame(opened, driver: .free), after: [])
    screen.show(WatchFrame(stopped, driver: .free), after: [observed])
    // Then the second look added nothing, and the third told the event and the changed fields
    let lines = written.lines
    #expect(lines.first == "Incident orders-1: Bad rollout of orders")
    #expect(lines.filter { $0.hasPrefix("Incident ") }.count == 1)
    #expect(
      lines.filter { $0.hasPrefix("  phase:") } == [
        "  phase:       opened", "  phase:       stopped",
      ])
    #expect(lines.contains { $0.hasSuffix("alice RolloutObserved: current v1, ramping none") })
    #expect(
      lines.last
        == "  next:        identify the executions pinned to the bad build; nobody drives: run 'salvage run'"
    )
    #expect(!written.text.contains("\u{1B}"))
  }

  @Test(
    "On a terminal, a watch redraws its frame in place over the lines it drew, at the width it has now"
  )
  func onATerminalAWatchRedrawsItsFrameInPlaceOverTheLinesItDrewAtTheWidthItHasNow() {
    // Given a terminal 60 columns wide, narrowed to 40 after the first frame
    let written = Written()
    let columns = Mutex(60)
    let screen = WatchScreen(
      isTerminal: true, width: { columns.withLock { $0 } }, write: written.write)
    let (opened, observed, stopped) = Self.stopping()
    // When it shows a frame, then (narrowed) the next one, then the same one again
    screen.show(WatchFrame(opened, driver: .free), after: [])
    let first = written.text
    columns.withLock { $0 = 40 }
    screen.show(WatchFrame(stopped, driver: .free), after: [observed])
    let second = String(written.text.dropFirst(first.count))
    screen.show(WatchFrame(stopped, driver: .free), after: [])
    // Then the second goes back up over every line of the first and erases them before drawing
    let drawn = first.split(separator: "\n").count
    #expect(second.hasPrefix("\u{1B}[\(drawn)F\u{1B}[J"))
    #expect(second.contains("phase:       stopped"))
    // And its lines fit the narrowed terminal (a wrapped line would break the redraw)
    let lines = second.replacingOccurrences(of: "\u{1B}[\(drawn)F\u{1B}[J", with: "")
      .split(separator: "\n")
    #expect(lines.allSatisfy { $0.count < 40 })
    #expect(first.split(separator: "\n").contains { $0.count >= 40 })
    // And the same frame again draws nothing
    #expect(written.text.count == first.count + second.count)
  }
}
