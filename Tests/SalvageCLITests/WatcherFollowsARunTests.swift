import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import Synchronization
import Testing

@testable import SalvageCLI

/// A watcher and a run on one journal file, each with its own connection, as two shells have.
@Suite struct WatcherFollowsARunTests {
  @Test(
    "A watcher in a pipe tells every event and every phase of a run on the same journal, then ends at cleaned"
  )
  func aWatcherInAPipeTellsEveryEventAndEveryPhaseOfARunOnTheSameJournalThenEndsAtCleaned()
    async throws
  {
    // Given a journal file with an incident opened and decided, on a cluster with stuck and
    // closed runs on the bad build v2
    let directory = try TemporaryDirectory("salvage-watch")
    defer { directory.remove() }
    let path = directory.path("journal.sqlite")
    let cluster = ScriptedCluster(current: "v2")
    cluster.add("OrderWorkflow", .running, count: 3)
    cluster.add("FailWorkflow", .failed, count: 4)
    let now: @Sendable () -> UTCTime = { cluster.now }
    let incident = IncidentID(rawValue: "orders-1")!
    var factory = EventFactory(seed: 3)
    _ = try SQLiteEventJournal(path: path, create: true, now: now).append(
      [
        factory.pending(EventFactory.opened),
        factory.pending(
          .strategyDecided(
            StrategyDecided(
              workflowType: "OrderWorkflow", restartable: true, corrupted: false,
              strategy: .resetToGoodBuild, targetBuild: "v1", source: .operatorDecision,
              rationale: "stateless"))),
      ], to: incident, expectedVersion: 0, actor: "alice")
    // When a watcher follows it in a pipe, and a run drives it to the end meanwhile
    let written = Written()
    let screen = WatchScreen(isTerminal: false, width: { 80 }, write: written.write)
    let watcher = IncidentWatcher(
      store: try SQLiteEventJournal(path: path, create: false, now: now), incident: incident,
      until: nil, watcher: RunIdentity(runID: "w", operatorName: "watch", host: "h", pid: 1),
      isRunning: { _ in false }, now: now, interval: .milliseconds(5))
    let watching = Task { try await watcher.watch(on: screen) }
    try await eventually(within: 30, "the watcher's first frame") { !written.lines.isEmpty }
    var timing = RunbookRunner.Timing()
    timing.poll = 0.01
    timing.firstPoll = 0.01
    let ids = Mutex(EventFactory(seed: 9))
    let runner = RunbookRunner(
      journal: try SQLiteEventJournal(path: path, create: false, now: now), temporal: cluster,
      incident: incident, actor: "alice",
      dependencies: .init(
        newEventID: { ids.withLock { $0.pending(.noteAdded(NoteAdded(text: ""))).id } },
        clock: InstantClock(), now: now, timing: timing))
    let outcome = try await runner.run()
    let ending = try await watching.value
    // Then the run finished, and the watcher ended at cleaned
    #expect(outcome == .finished)
    #expect(ending == .cleaned)
    // And it told every event the run recorded, once, in order
    let events = try SQLiteEventJournal(path: path, create: false, now: now).events(
      of: incident, after: 2)
    let told = written.lines.filter { $0.contains(" alice ") }
    #expect(told.count == events.count)
    #expect(told == events.map(WatchScreen.line))
    // And each phase once, in the runbook's order
    #expect(
      written.lines.filter { $0.hasPrefix("  phase:") }.map { $0.split(separator: " ").last ?? "" }
        == ["opened", "stopped", "identified", "recovering", "drained", "cleaned"])
    // And it recorded nothing itself: no lease, no event by the watcher
    #expect(events.allSatisfy { $0.actor == "alice" })
  }
}
