import Foundation
import GRDB
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

@Suite struct AppendTests {
  @Test func appendedEventsReadBackInOrderWithGaplessPositions() throws {
    // Given a new journal
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    // When an incident is opened and two notes are added
    let recorded = try fixture.record(
      [EventFactory.opened] + JournalFixture.notes(2), to: journal)
    // Then they come back as recorded, positions 1...3 and versions 1...3
    let events = try journal.events(of: fixture.incident)
    #expect(events == recorded)
    #expect(events.map(\.position) == [1, 2, 3])
    #expect(events.map(\.version) == [1, 2, 3])
    #expect(events.map(\.actor) == ["alice", "alice", "alice"])
  }

  @Test func positionsAreGlobalAndVersionsArePerIncident() throws {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    let other = IncidentID(rawValue: "payments-1")!
    try fixture.record([EventFactory.opened], to: journal)
    try fixture.record([EventFactory.opened], to: journal, incident: other)
    try fixture.record(JournalFixture.notes(1), to: journal)
    let first = try journal.events(of: fixture.incident)
    let second = try journal.events(of: other)
    #expect(first.map(\.position) == [1, 3])
    #expect(first.map(\.version) == [1, 2])
    #expect(second.map(\.position) == [2])
    #expect(second.map(\.version) == [1])
  }

  @Test func aStaleExpectedVersionIsATypedConflictAndWritesNothing() throws {
    // Given two operators who both read version 1
    let fixture = try JournalFixture()
    let alice = try fixture.open()
    let bob = try fixture.open()
    try fixture.record([EventFactory.opened], to: alice)
    _ = try alice.append(
      [fixture.factory.pending(.noteAdded(NoteAdded(text: "alice first")))],
      to: fixture.incident, expectedVersion: 1, actor: "alice")
    // When bob appends expecting version 1
    #expect(throws: AppendError.conflict(incident: fixture.incident, expected: 1, actual: 2)) {
      _ = try bob.append(
        [fixture.factory.pending(.noteAdded(NoteAdded(text: "bob late")))],
        to: fixture.incident, expectedVersion: 1, actor: "bob")
    }
    // Then only alice's note is there
    #expect(try bob.events(of: fixture.incident).count == 2)
    #expect(try bob.state(of: fixture.incident)?.recentNotes.map(\.text) == ["alice first"])
  }

  @Test func retryingWithTheSameEventIDReturnsTheOriginalPositions() throws {
    // Given an append whose answer was "lost"
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let pending = [
      fixture.factory.pending(.noteAdded(NoteAdded(text: "once"))),
      fixture.factory.pending(.noteAdded(NoteAdded(text: "twice"))),
    ]
    let first = try journal.append(
      pending, to: fixture.incident, expectedVersion: 1, actor: "alice")
    // When the same batch is appended again with the old expected version
    let retried = try journal.append(
      pending, to: fixture.incident, expectedVersion: 1, actor: "alice")
    // Then the originals come back and nothing new is written
    #expect(retried == first)
    #expect(try journal.events(of: fixture.incident).count == 3)
  }

  @Test func reusingAnEventIDForDifferentContentIsRefused() throws {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    let recorded = try fixture.record([EventFactory.opened], to: journal)
    let reused = PendingEvent(id: recorded[0].id, event: .noteAdded(NoteAdded(text: "other")))
    #expect(throws: AppendError.eventIDReused(recorded[0].id)) {
      _ = try journal.append([reused], to: fixture.incident, expectedVersion: 1, actor: "alice")
    }
    #expect(try journal.events(of: fixture.incident).count == 1)
  }

  @Test func aBatchThatIsOnlyPartlyStoredIsRefused() throws {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    let recorded = try fixture.record([EventFactory.opened], to: journal)
    let again = PendingEvent(id: recorded[0].id, event: EventFactory.opened)
    let fresh = fixture.factory.pending(.noteAdded(NoteAdded(text: "new")))
    #expect(throws: AppendError.partialRetry(fresh.id)) {
      _ = try journal.append([again, fresh], to: fixture.incident, expectedVersion: 1, actor: "a")
    }
    #expect(try journal.events(of: fixture.incident).count == 1)
  }

  @Test func theSnapshotMovesEveryIntervalAndReadersReplayTheRest() throws {
    // Given a journal that snapshots the state every 4 events
    let fixture = try JournalFixture()
    let journal = try fixture.open(checkpointInterval: 4)
    // When 10 events are appended one by one
    try fixture.record([EventFactory.opened] + JournalFixture.notes(9), to: journal)
    // Then the head names the phase, and the snapshot is at the last multiple of the interval
    let stored = try fixture.raw().read { db in
      (
        head: try String.fetchOne(db, sql: "SELECT phase FROM heads"),
        snapshot: try Int.fetchOne(db, sql: "SELECT version FROM checkpoints")
      )
    }
    #expect(stored.head == "opened")
    #expect(stored.snapshot == 9)  // written at versions 1, 5 and 9
    // And a reader that never appended (snapshot plus the events after it) sees the full replay
    let replayed = IncidentState.replay(fixture.incident, try journal.events(of: fixture.incident))
    let reader = try fixture.open(create: false)
    #expect(try reader.state(of: fixture.incident) == replayed)
    #expect(try journal.state(of: fixture.incident) == replayed)
    #expect(replayed.version == 10)
    #expect(
      try reader.incidents() == [
        IncidentSummary(incident: fixture.incident, phase: .opened, version: 10, isOpen: true)
      ])
    #expect(try reader.verify().isIntact)
  }

  @Test func aFullRebuildOfSeveralIncidentsEqualsEachIncidentsReplay() throws {
    // Given three incidents whose events interleave in the journal
    let fixture = try JournalFixture()
    let journal = try fixture.open(checkpointInterval: 2)
    let names = ["orders-1", "orders-2", "orders-3"].map { IncidentID(rawValue: $0)! }
    for name in names { try fixture.record([EventFactory.opened], to: journal, incident: name) }
    for round in 0..<4 {
      for name in names {
        try fixture.record(
          JournalFixture.notes(1, prefix: "\(name) \(round)"), to: journal, incident: name)
      }
    }
    // When every incident is rebuilt from its first event
    let rebuilt = try journal.rebuild()
    // Then each equals its own replay, snapshots aside
    #expect(rebuilt.count == 3)
    for name in names {
      #expect(rebuilt[name] == IncidentState.replay(name, try journal.events(of: name)))
      #expect(rebuilt[name]?.noteCount == 4)
    }
  }

  @Test func twoWritersTakingTurnsEachFoldTheOthersEventsAndTheChainHolds() throws {
    // Given two journal objects on one file, as two salvage processes would have
    let fixture = try JournalFixture()
    let alice = try fixture.open(checkpointInterval: 3)
    let bob = try fixture.open(checkpointInterval: 3)
    try fixture.record([EventFactory.opened], to: alice)
    // When they take turns appending
    for turn in 0..<8 {
      try fixture.record(
        JournalFixture.notes(1, prefix: "turn \(turn)"), to: turn.isMultiple(of: 2) ? bob : alice)
    }
    // Then each sees every note, and the journal verifies
    let replayed = IncidentState.replay(fixture.incident, try alice.events(of: fixture.incident))
    #expect(replayed.noteCount == 8)
    #expect(try alice.state(of: fixture.incident) == replayed)
    #expect(try bob.state(of: fixture.incident) == replayed)
    #expect(try alice.verify().isIntact)
  }

  @Test func eventsWrittenBeforeCloseAreReplayedAfterReopen() throws {
    // Given a journal that was written and closed
    let fixture = try JournalFixture(onDisk: true)
    var written: [RecordedEvent] = []
    do {
      let journal = try fixture.open()
      written = try fixture.record(
        [EventFactory.opened] + JournalFixture.notes(3)
          + [.closed(IncidentClosed(reason: "done"))], to: journal)
    }
    // When it is opened again without create
    let reopened = try fixture.open(create: false)
    // Then the same events replay to the same state
    let events = try reopened.events(of: fixture.incident)
    #expect(events == written)
    let state = IncidentState.replay(fixture.incident, events)
    #expect(state.phase == .closed)
    #expect(try reopened.state(of: fixture.incident) == state)
    #expect(try reopened.verify().isIntact)
  }
}
