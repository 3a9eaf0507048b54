import SalvageCore
import SalvageFakes
import SalvageJournal
import Synchronization
import Testing

/// The one owner of an incident's state in a process: what it appends, the state it adopts, the
/// lease it renews and the rules it applies before every append.
@Suite struct IncidentOwnerTests {
  let alice = RunIdentity(runID: "r1", operatorName: "alice", host: "a", pid: 41)
  let bob = RunIdentity(runID: "r2", operatorName: "bob", host: "b", pid: 7)
  let start = UTCTime(millisecondsSinceEpoch: 1_800_000_000_000)
  /// One source of event ids for every owner of a test, as for every process of a journal.
  let ids = EventIDs()

  func owner(
    _ fixture: JournalFixture, _ journal: SQLiteEventJournal, _ run: RunIdentity? = nil,
    now: @escaping @Sendable () -> UTCTime, told: Told? = nil
  ) -> IncidentOwner {
    IncidentOwner(
      journal: journal, incident: fixture.incident, actor: run?.operatorName ?? "alice",
      newEventID: { [ids] in ids.next() },
      lease: run.map { LeaseTerms(run: $0, seconds: 60, now: now) },
      recorded: { events, after in
        told?.versions.withLock { $0 += events.map(\.version) }
        told?.lastState.withLock { $0 = after }
      })
  }

  /// An opened incident, an owner that read it, and then `elsewhere` appended by another shell.
  func readBefore(_ elsewhere: [IncidentEvent]) throws -> (
    JournalFixture, SQLiteEventJournal, IncidentOwner
  ) {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let owner = owner(fixture, journal, now: { self.start })
    try owner.adopt()
    try fixture.record(elsewhere, to: try fixture.open())
    return (fixture, journal, owner)
  }

  @Test func whatTheOwnerRecordsIsTheStateTheJournalFoldedAndItIsToldOnce() throws {
    // Given an opened incident and its owner, which tells what it committed
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let told = Told()
    let owner = owner(fixture, journal, now: { self.start }, told: told)
    try owner.adopt()
    // When it records a note
    try owner.record([IncidentEvent.noteAdded(NoteAdded(text: "paged"))])
    // Then its state is the journal's, at the note's version, and the note was told once, with
    // that state
    #expect(owner.state == (try journal.state(of: fixture.incident)))
    #expect(owner.state.version == 2)
    #expect(told.versions.withLock { $0 } == [2])
    #expect(told.lastState.withLock { $0 } == owner.state)
  }

  @Test func aFactMetByAnotherWritersNoteIsAppendedAfterItAndTheNoteIsAdopted() throws {
    // Given an owner that read the incident before another shell added a note
    let (fixture, journal, owner) = try readBefore([
      IncidentEvent.noteAdded(NoteAdded(text: "bob was here"))
    ])
    // When it records an observation
    try owner.record([IncidentEvent.noteAdded(NoteAdded(text: "observed"))])
    // Then the observation follows the note, and the owner's state holds both
    let notes = IncidentState.notes(in: try journal.events(of: fixture.incident)).map(\.text)
    #expect(notes == ["bob was here", "observed"])
    #expect(owner.state.version == 3)
  }

  @Test func aDecisionMetByAnotherWritersEventsIsNotAppendedSoTheRunDecidesAgain() throws {
    // Given an owner that read the incident before another shell added a note
    let (fixture, journal, owner) = try readBefore([
      IncidentEvent.noteAdded(NoteAdded(text: "decided by hand"))
    ])
    // When it records an intent decided on the state it had
    let intent = IncidentEvent.actionStarted(
      ActionStarted(
        action: "stop-1", step: .stop, subject: nil, safety: .repeatable, command: ["temporal"],
        identity: "salvage/orders-1/stop-1", batchJob: nil, request: nil, pace: nil))
    #expect(throws: (any Error).self) { try owner.record([intent]) }
    // Then nothing of it is in the journal, and the owner holds the journal's state to decide again
    #expect(try journal.state(of: fixture.incident)?.progress.actions.isEmpty == true)
    #expect(owner.state.version == 2)
  }

  @Test func aFactMetByAnotherShellsDecisionIsAppendedAndTheRunDecidesAgainAfterIt() throws {
    // Given an owner that read the incident before an operator decided a Workflow Type elsewhere
    let (fixture, journal, owner) = try readBefore([
      IncidentEvent.strategyDecided(
        StrategyDecided(
          workflowType: "OrderWorkflow", restartable: true, corrupted: false,
          strategy: .terminateAndRestart, targetBuild: "v1", source: .operatorDecision,
          rationale: "stateless"))
    ])
    // When it records an observation, with what it was about to do next decided before
    // Then the observation is appended after the decision, and the run is told to decide again
    #expect(throws: (any Error).self) {
      try owner.record([IncidentEvent.noteAdded(NoteAdded(text: "observed"))])
    }
    let notes = IncidentState.notes(in: try journal.events(of: fixture.incident)).map(\.text)
    #expect(notes == ["observed"])
    #expect(owner.state.progress.decisions["OrderWorkflow"] != nil)
    #expect(owner.state.version == 3)
  }

  @Test func aRunsLeaseIsRenewedWithWhatItRecordsOnceHalfOfItIsGone() throws {
    // Given alice's run holding a 60 s lease taken at the start
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let clock = Told()
    let start = self.start
    let owner = owner(fixture, journal, alice, now: { clock.now(from: start) })
    #expect(try owner.acquire(takeOver: false, isRunning: { _ in true }) == .free)
    // When it records 20 s later, and again 40 s later
    clock.versions.withLock { $0 = [20_000] }
    try owner.record([IncidentEvent.noteAdded(NoteAdded(text: "at 20 s"))])
    let at20 = owner.state.lease?.expiresAt
    clock.versions.withLock { $0 = [40_000] }
    try owner.record([IncidentEvent.noteAdded(NoteAdded(text: "at 40 s"))])
    // Then the lease was left alone at 20 s and renewed to 100 s with the second note
    #expect(at20 == UTCTime(millisecondsSinceEpoch: start.millisecondsSinceEpoch + 60_000))
    #expect(
      owner.state.lease?.expiresAt
        == UTCTime(millisecondsSinceEpoch: start.millisecondsSinceEpoch + 100_000))
    guard case .leaseRenewed = try journal.events(of: fixture.incident).last?.event else {
      Issue.record("the last event is not the renewal")
      return
    }
  }

  @Test func aRunWhoseLeaseWasTakenOverRecordsNothingAndMayNotAct() throws {
    // Given alice's run holding the lease, then bob taking it over from another shell
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let first = owner(fixture, journal, alice, now: { self.start })
    _ = try first.acquire(takeOver: false, isRunning: { _ in true })
    let second = owner(fixture, try fixture.open(), bob, now: { self.start })
    #expect(throws: RunbookError.self) {
      try second.acquire(takeOver: false, isRunning: { _ in true })
    }
    guard case .heldBy = try second.acquire(takeOver: true, isRunning: { _ in true }) else {
      Issue.record("bob did not find alice's lease")
      return
    }
    let before = try journal.events(of: fixture.incident).count
    // When alice's run asks whether it may act, and tries to record an outcome
    // Then both say bob drives it, and nothing was appended
    #expect(throws: RunbookError.leaseLost(fixture.incident, to: "bob (pid 7 on b)")) {
      try first.mayAct()
    }
    #expect(throws: RunbookError.leaseLost(fixture.incident, to: "bob (pid 7 on b)")) {
      try first.record([IncidentEvent.noteAdded(NoteAdded(text: "reset done"))])
    }
    #expect(try journal.events(of: fixture.incident).count == before)
  }

  @Test func aClosedIncidentStopsTheNextChangeButItsDriverStillRecordsWhatItDid() throws {
    // Given alice's run driving, and a person closing the incident from another shell
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let owner = owner(fixture, journal, alice, now: { self.start })
    _ = try owner.acquire(takeOver: false, isRunning: { _ in true })
    try fixture.record([.closed(IncidentClosed(reason: "fixed by hand"))], to: try fixture.open())
    // When the run asks before its next change, then records the outcome it has
    let answer = try owner.mayAct()
    #expect(throws: (any Error).self) {
      try owner.record([IncidentEvent.noteAdded(NoteAdded(text: "chunk ended"))])
    }
    // Then it is told the incident is closed, its record still lands, and the run is told to
    // decide again (it then finds the incident closed)
    #expect(answer == .closed)
    #expect(owner.state.closure != nil)
    let notes = IncidentState.notes(in: try journal.events(of: fixture.incident)).map(\.text)
    #expect(notes == ["chunk ended"])
  }

  @Test func aSealedIncidentRefusesADriverAChangeOfCourseAndAHandoffButNotANote() throws {
    // Given an incident handed off by export from this journal
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record(
      [
        EventFactory.opened,
        .handedOff(
          HandedOff(from: "alice", to: "bob", note: nil, export: "inc.jsonl", sealedAfter: "ab")),
      ], to: journal)
    let state = try journal.state(of: fixture.incident)
    let owner = owner(fixture, journal, alice, now: { self.start })
    // When a run, a decision, a handoff and a note each try it
    // Then only the note is recorded
    #expect(throws: RunbookError.self) {
      try owner.acquire(takeOver: true, isRunning: { _ in true })
    }
    #expect(throws: RunbookError.self) { try IncidentOwner.refuseUndrivable(state) }
    #expect(throws: RunbookError.self) {
      try IncidentOwner.refuseHandoff(
        state, by: "alice", on: "a", now: self.start, isRunning: { _ in true })
    }
    let note = try owner.update { _ in [IncidentEvent.noteAdded(NoteAdded(text: "still noted"))] }
    #expect(note.count == 1)
  }

  @Test func aHandoffWaitsForALiveRunButNotForTheCallersOwnRunThatIsGone() throws {
    // Given alice's run holding the lease on host a until 60 s after the start
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    _ = try owner(fixture, journal, alice, now: { self.start }).acquire(
      takeOver: false, isRunning: { _ in true })
    let state = try #require(try journal.state(of: fixture.incident))
    // When bob hands off while it lives, alice hands off after her run died, and bob after it expired
    // Then only the first is refused
    #expect(throws: RunbookError.leaseHeld(state.incident, state.lease!)) {
      try IncidentOwner.refuseHandoff(
        state, by: "bob", on: "b", now: self.start, isRunning: { _ in true })
    }
    try IncidentOwner.refuseHandoff(
      state, by: "alice", on: "a", now: start, isRunning: { _ in false })
    try IncidentOwner.refuseHandoff(
      state, by: "bob", on: "b",
      now: UTCTime(millisecondsSinceEpoch: start.millisecondsSinceEpoch + 61_000),
      isRunning: { _ in true })
  }
}

/// What an owner told, by version; a test's clock, as milliseconds after a start.
final class Told: Sendable {
  let versions = Mutex<[Int]>([])
  let lastState = Mutex<IncidentState?>(nil)

  func now(from start: UTCTime) -> UTCTime {
    UTCTime(
      millisecondsSinceEpoch: start.millisecondsSinceEpoch
        + Int64(versions.withLock { $0.last ?? 0 }))
  }
}
