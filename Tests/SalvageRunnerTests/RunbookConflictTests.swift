import SalvageCore
import SalvageFakes
import Synchronization
import Testing

/// The runner's read–decide–append loop against another shell writing to the same incident.
@Suite struct RunbookConflictTests {
  let incident = IncidentID(rawValue: "orders-1")!
  let later = UTCTime(millisecondsSinceEpoch: 4_102_444_800_000)

  func runner(
    _ interleave: @escaping @Sendable (Int, [IncidentEvent]) -> [IncidentEvent], lease: Bool = false
  ) throws -> (InterleavingJournal, ScriptedCluster, RunbookRunner) {
    let inner = InMemoryEventJournal()
    var factory = EventFactory(seed: 3)
    var opening = [factory.pending(EventFactory.opened)]
    if lease {
      opening.append(
        factory.pending(
          .leaseAcquired(
            LeaseAcquired(
              holder: "alice", host: "a", expiresAt: later, runID: "r1", pid: 41))))
    }
    _ = try inner.append(opening, to: incident, expectedVersion: 0, actor: "alice")
    let journal = InterleavingJournal(inner, interleave: interleave)
    let temporal = ScriptedCluster(routing: .init(current: "v2"))
    let ids = Mutex(EventFactory(seed: 4))
    let later = self.later
    let runner = RunbookRunner(
      journal: journal, temporal: temporal, incident: incident, actor: "alice",
      dependencies: .init(
        newEventID: { ids.withLock { $0.pending(.noteAdded(NoteAdded(text: ""))).id } },
        clock: InstantClock(),
        lease: lease
          ? .init(
            run: RunIdentity(runID: "r1", operatorName: "alice", host: "a", pid: 41),
            seconds: 3_600, now: { later })
          : nil))
    return (journal, temporal, runner)
  }

  @Test func aNoteFromAnotherShellBeforeEveryAppendDoesNotEndTheRun() async throws {
    // Given another shell that appends a note before each of the run's appends (so each one meets
    // a conflict, and its retry goes through)
    let (journal, temporal, runner) = try runner { call, _ in
      call % 2 == 1 ? [.noteAdded(NoteAdded(text: "note \(call)"))] : []
    }
    // When salvage runs until stopped
    let outcome = try await runner.run(until: .stopped)
    // Then it reached stopped, set Current back once, and every note is recorded beside its events
    #expect(outcome == .reached(.stopped))
    #expect(temporal.changes.count == 1)
    #expect(temporal.routing == .init(current: "v1"))
    let events = try journal.events(of: incident).map(\.event.typeName)
    #expect(events.filter { $0 == "NoteAdded" }.count == journal.appendCalls / 2)
    #expect(
      events.filter { $0 != "NoteAdded" } == [
        "IncidentOpened", "RolloutObserved", "ActionStarted", "ActionSucceeded", "RolloutObserved",
      ])
  }

  @Test func anIntentThatMeetsAnotherWritersEventIsDecidedAgainFromTheNewState() async throws {
    // Given another shell that closes the incident just before the run records its first intent
    let (journal, temporal, runner) = try runner { _, events in
      events.contains { $0.typeName == "ActionStarted" }
        ? [.closed(IncidentClosed(reason: "false alarm"))] : []
    }
    // When salvage runs
    let outcome = try await runner.run(until: .stopped)
    // Then it decided again from the closed incident: no intent recorded, nothing changed
    #expect(outcome == .closed)
    #expect(temporal.changes.isEmpty)
    #expect(!(try journal.events(of: incident)).contains { $0.event.typeName == "ActionStarted" })
  }

  @Test func anOutcomeThatMeetsAnotherWritersEventIsRecordedAfterIt() async throws {
    // Given another shell that appends a note just before the run records the stop's outcome
    let noted = Mutex(false)
    let (journal, temporal, runner) = try runner { _, events in
      guard events.contains(where: { $0.typeName == "ActionSucceeded" }), !noted.withLock({ $0 })
      else { return [] }
      noted.withLock { $0 = true }
      return [.noteAdded(NoteAdded(text: "watching"))]
    }
    // When salvage runs until stopped
    #expect(try await runner.run(until: .stopped) == .reached(.stopped))
    // Then the call was made once and its outcome follows the note
    #expect(temporal.changes.count == 1)
    let names = try journal.events(of: incident).map(\.event.typeName)
    let note = try #require(names.firstIndex(of: "NoteAdded"))
    #expect(names[note + 1] == "ActionSucceeded")
  }

  @Test func aTakeOverFromAnotherShellStopsTheRunBeforeItActs() async throws {
    // Given alice's run holds the lease, and bob takes it over before her first intent
    let later = self.later
    let (_, temporal, runner) = try runner(
      { _, events in
        events.contains { $0.typeName == "ActionStarted" }
          ? [
            .leaseAcquired(
              LeaseAcquired(
                holder: "bob", host: "b", expiresAt: later, takenOverFrom: "alice", runID: "r2",
                pid: 7))
          ] : []
      }, lease: true)
    // When alice's run goes on, then it stops, naming bob, and changes nothing
    await #expect(throws: RunbookError.leaseLost(incident, to: "bob (pid 7 on b)")) {
      try await runner.run(until: .stopped)
    }
    #expect(temporal.changes.isEmpty)
  }
}
