import Foundation
import SalvageCore
import SalvageJournal
import SalvageTestSupport
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
    #expect(try bob.state(of: fixture.incident)?.notes.map(\.text) == ["alice first"])
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

  @Test func theCheckpointMovesWithEveryAppendAndEqualsTheReplay() throws {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened] + JournalFixture.notes(5), to: journal)
    let checkpoint = try #require(try journal.state(of: fixture.incident))
    let replayed = IncidentState.replay(fixture.incident, try journal.events(of: fixture.incident))
    #expect(checkpoint == replayed)
    #expect(checkpoint.version == 6)
    #expect(checkpoint.lastPosition == 6)
    #expect(try journal.incidents() == [
      IncidentSummary(incident: fixture.incident, phase: .opened, version: 6, isOpen: true)
    ])
  }

  @Test func eventsWrittenBeforeCloseAreReplayedAfterReopen() throws {
    // Given a journal that was written and closed
    let fixture = try JournalFixture()
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
