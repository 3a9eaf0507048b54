import SalvageCore
import SalvageFakes
import Testing

/// Builds recorded events for one incident, as a journal would.
private struct History {
  let incident = IncidentID(rawValue: "orders-1")!
  var events: [RecordedEvent] = []
  var factory = EventFactory()
  let clock = SteppingClock()

  mutating func record(_ event: IncidentEvent, actor: String = "alice") {
    let pending = factory.pending(event)
    events.append(
      RecordedEvent(
        position: Int64(events.count + 1), id: pending.id, incident: incident,
        version: events.count + 1, recordedAt: clock.now(), actor: actor, event: event))
  }
}

@Suite struct IncidentStateTests {
  @Test func anIncidentWithNoEventsHasNoPhase() {
    let state = IncidentState(incident: IncidentID(rawValue: "x")!)
    #expect(state.phase == nil)
    #expect(state.version == 0)
    #expect(!state.isOpen)
  }

  @Test func openingAnIncidentRecordsItsDetailsAndEntersOpened() throws {
    // Given an IncidentOpened event
    var history = History()
    history.record(EventFactory.opened)
    // When it is folded
    let state = IncidentState.replay(history.incident, history.events)
    // Then the incident is opened with exactly those details
    #expect(state.phase == .opened)
    #expect(state.isOpen)
    let details = try #require(state.details)
    #expect(details.deployment == "orders")
    #expect(details.badBuild == "v2")
    #expect(details.goodBuild == "v1")
    #expect(details.namespace == "default")
    #expect(details.openedBy == "alice")
    #expect(details.openedAt == history.events[0].recordedAt)
    #expect(state.version == 1)
    #expect(state.lastPosition == 1)
    #expect(state.anomalies.isEmpty)
  }

  @Test func notesAreKeptInOrderWithTheirAuthorAndTime() {
    var history = History()
    history.record(EventFactory.opened)
    history.record(.noteAdded(NoteAdded(text: "paged by alerts")), actor: "alice")
    history.record(.noteAdded(NoteAdded(text: "bob joined")), actor: "bob")
    let state = IncidentState.replay(history.incident, history.events)
    #expect(state.recentNotes.map(\.text) == ["paged by alerts", "bob joined"])
    #expect(state.recentNotes.map(\.by) == ["alice", "bob"])
    #expect(state.recentNotes.map(\.version) == [2, 3])
    #expect(state.recentNotes[1].at == history.events[2].recordedAt)
    #expect(state.phase == .opened)
  }

  @Test func theStateKeepsTheLatestNotesAndCountsAllOfThemSoItStaysTheSameSize() {
    // Given an incident with twelve notes
    var history = History()
    history.record(EventFactory.opened)
    for number in 1...12 { history.record(.noteAdded(NoteAdded(text: "note \(number)"))) }
    // When it is replayed
    let state = IncidentState.replay(history.incident, history.events)
    // Then it counts all twelve, keeps the latest five, and every note is still in the events
    #expect(state.noteCount == 12)
    #expect(state.recentNotes.map(\.text) == (8...12).map { "note \($0)" })
    #expect(IncidentState.notes(in: history.events).map(\.text) == (1...12).map { "note \($0)" })
  }

  @Test func closingEntersClosedAndTheIncidentIsNoLongerOpen() {
    var history = History()
    history.record(EventFactory.opened)
    history.record(.closed(IncidentClosed(reason: "false alarm")), actor: "bob")
    let state = IncidentState.replay(history.incident, history.events)
    #expect(state.phase == .closed)
    #expect(!state.isOpen)
    #expect(state.closure?.reason == "false alarm")
    #expect(state.closure?.by == "bob")
  }

  @Test func aSecondOpeningIsKeptAsAnAnomalyAndTheFirstStands() {
    var history = History()
    history.record(EventFactory.opened)
    history.record(
      .opened(
        IncidentOpened(
          deployment: "other", badBuild: "x", goodBuild: "y", namespace: "n", title: "t",
          operatorName: "mallory")))
    let state = IncidentState.replay(history.incident, history.events)
    #expect(state.details?.deployment == "orders")
    #expect(state.anomalies.map(\.version) == [2])
    #expect(state.version == 2)
  }

  @Test func aNoteBeforeOpeningIsKeptAndFlagged() {
    var history = History()
    history.record(.noteAdded(NoteAdded(text: "early")))
    let state = IncidentState.replay(history.incident, history.events)
    #expect(state.recentNotes.map(\.text) == ["early"])
    #expect(state.phase == nil)
    #expect(state.anomalies.count == 1)
  }

  @Test func theFoldIsTotalOverEveryOrderOfEvents() {
    // Given every ordering of one of each event kind
    let kinds: [IncidentEvent] = [
      EventFactory.opened, .noteAdded(NoteAdded(text: "n")), .closed(IncidentClosed(reason: "r")),
    ]
    for order in permutations(kinds) {
      var history = History()
      for event in order { history.record(event) }
      // When folded, then it yields a state that counts every event and never traps
      let state = IncidentState.replay(history.incident, history.events)
      #expect(state.version == 3)
      #expect(state.noteCount == 1)
    }
  }

  @Test func foldingOneAtATimeEqualsReplayingTheWholeHistory() {
    var history = History()
    history.record(EventFactory.opened)
    for index in 0..<20 { history.record(.noteAdded(NoteAdded(text: "note \(index)"))) }
    var incremental = IncidentState(incident: history.incident)
    for event in history.events { incremental.apply(event) }
    #expect(incremental == IncidentState.replay(history.incident, history.events))
  }

  @Test func phasesAreOrderedAsTheRunbook() {
    #expect(
      IncidentPhase.allCases == [
        .opened, .stopped, .identified, .recovering, .drained, .cleaned, .closed,
      ])
    #expect(IncidentPhase.opened < .stopped)
    #expect(IncidentPhase.cleaned < .closed)
  }
}

private func permutations<T>(_ items: [T]) -> [[T]] {
  guard items.count > 1 else { return [items] }
  return items.indices.flatMap { index -> [[T]] in
    var rest = items
    let head = rest.remove(at: index)
    return permutations(rest).map { [head] + $0 }
  }
}
