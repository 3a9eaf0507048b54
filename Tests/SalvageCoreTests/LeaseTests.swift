import SalvageCore
import SalvageFakes
import Testing

@Suite struct LeaseTests {
  let now = UTCTime(millisecondsSinceEpoch: 1_000_000)
  let later = UTCTime(millisecondsSinceEpoch: 1_060_000)
  let first = RunIdentity(runID: "r1", operatorName: "alice", host: "a", pid: 41)
  let second = RunIdentity(runID: "r2", operatorName: "alice", host: "a", pid: 42)

  func lease(_ run: RunIdentity, until: UTCTime) -> Lease {
    Lease(
      holder: run.operatorName, host: run.host, expiresAt: until, runID: run.runID, pid: run.pid)
  }

  @Test func aMissingLeaseIsFreeAndThisRunsOwnIsMine() {
    #expect(Lease.check(nil, by: first, now: now, isRunning: { _ in true }) == .free)
    let mine = lease(first, until: later)
    #expect(Lease.check(mine, by: first, now: now, isRunning: { _ in true }) == .mine)
  }

  @Test func theSameOperatorOnTheSameHostInAnotherRunIsAnotherDriver() {
    // Given alice's first run holding a live lease, its process alive
    let held = lease(first, until: later)
    // When her second run, same name and host, checks it, then it is held by the first run
    #expect(Lease.check(held, by: second, now: now, isRunning: { _ in true }) == .heldBy(held))
    #expect(held.holderDescription == "alice (pid 41 on a)")
  }

  @Test func aLeasePastItsEndWhoseProcessStillRunsOnThisHostIsStillHeld() {
    // Given alice's first run, busy past its lease's end (a long chunk), its process alive
    let lapsed = lease(first, until: now)
    // When her second run checks it, then it is held, not expired: only --take-over takes it
    #expect(Lease.check(lapsed, by: second, now: later, isRunning: { $0 == 41 }) == .heldBy(lapsed))
    // And on another host, where the process cannot be seen, it has expired
    let elsewhere = RunIdentity(runID: "r3", operatorName: "bob", host: "b", pid: 41)
    #expect(
      Lease.check(lapsed, by: elsewhere, now: later, isRunning: { _ in true }) == .expired(lapsed))
  }

  @Test func aLeaseWhoseProcessIsGoneFromThisHostEndsAtOnce() {
    // Given a live lease whose process no longer runs on this host
    let held = lease(first, until: later)
    // When another run on the same host checks it, then it has ended, before expiring
    #expect(Lease.check(held, by: second, now: now, isRunning: { $0 != 41 }) == .ended(held))
    // And from another host nobody can tell, so it holds until it expires
    let elsewhere = RunIdentity(runID: "r3", operatorName: "bob", host: "b", pid: 41)
    #expect(Lease.check(held, by: elsewhere, now: now, isRunning: { _ in false }) == .heldBy(held))
    #expect(
      Lease.check(held, by: elsewhere, now: later, isRunning: { _ in false }) == .expired(held))
  }

  @Test func aLeaseRecordedBeforeRunsHadIdsHoldsUntilItExpires() {
    // Given a lease with no run id or pid, as older journals hold them
    let old = Lease(holder: "alice", host: "a", expiresAt: later)
    // When alice on the same host checks it, then it is not hers to take until it expires
    #expect(Lease.check(old, by: first, now: now, isRunning: { _ in false }) == .heldBy(old))
    #expect(Lease.check(old, by: first, now: later, isRunning: { _ in false }) == .expired(old))
  }

  @Test func renewalsAndReleasesMatchTheRunNotTheOperator() {
    // Given alice's first run holding the lease
    var history = RunbookHistory()
    history.record(.leaseAcquired(LeaseAcquired(first, expiresAt: later, found: .free)))
    // When her second run's renewal and release are folded, then the first run's lease stands
    history.record(.leaseRenewed(LeaseRenewed(holder: "alice", expiresAt: later, runID: "r2")))
    #expect(
      history.state.anomalies.map(\.message) == ["lease renewed by alice, who does not hold it"])
    history.record(.leaseReleased(LeaseReleased(holder: "alice", runID: "r2")))
    #expect(history.state.lease?.runID == "r1")
    // And the first run's own release lets it go
    history.record(.leaseReleased(LeaseReleased(holder: "alice", runID: "r1")))
    #expect(history.state.lease == nil)
  }

  @Test func theFoldTracksTheLeaseAndTheHandoffs() {
    var history = RunbookHistory()
    history.record(.leaseAcquired(LeaseAcquired(holder: "alice", host: "a", expiresAt: later)))
    #expect(history.state.lease?.holder == "alice")
    #expect(history.state.holder == "alice")
    history.record(
      .leaseRenewed(
        LeaseRenewed(holder: "alice", expiresAt: UTCTime(millisecondsSinceEpoch: 2_000_000))))
    #expect(history.state.lease?.expiresAt.millisecondsSinceEpoch == 2_000_000)
    history.record(.handedOff(HandedOff(from: "alice", to: "bob", note: "drain is slow")))
    #expect(history.state.lease == nil)
    #expect(history.state.holder == "bob")
    #expect(history.state.handoffs.map(\.note) == ["drain is slow"])
    history.record(.leaseRenewed(LeaseRenewed(holder: "mallory", expiresAt: later)))
    #expect(history.state.anomalies.count == 1)
  }

  @Test func aTakeOverIsRecordedAgainstTheLiveRun() {
    var history = RunbookHistory()
    let held = lease(first, until: later)
    history.record(.leaseAcquired(LeaseAcquired(first, expiresAt: later, found: .free)))
    history.record(.leaseAcquired(LeaseAcquired(second, expiresAt: later, found: .heldBy(held))))
    #expect(history.state.lease?.runID == "r2")
    #expect(history.events.last?.event.summary.contains("taken over from alice (pid 41)") == true)
    guard case .leaseAcquired(let acquired) = history.events.last?.event else { return }
    #expect(acquired.previousRunID == "r1")
  }

  @Test func anEndedRunsLeaseIsRecordedAsEndedNotExpired() {
    var history = RunbookHistory()
    let held = lease(first, until: later)
    history.record(.leaseAcquired(LeaseAcquired(second, expiresAt: later, found: .ended(held))))
    #expect(
      history.events.last?.event.summary.hasSuffix("after alice's run (pid 41) ended on this host")
        == true)
  }

  @Test func aRunStopsWhenItsLeaseIsAnotherRunsOrTheIncidentIsSealed() throws {
    // Given alice's first run holding the lease
    var history = RunbookHistory()
    history.record(.leaseAcquired(LeaseAcquired(first, expiresAt: later, found: .free)))
    let terms = LeaseTerms(
      run: first, seconds: 60, now: { UTCTime(millisecondsSinceEpoch: 0) })
    try IncidentOwner.checkHold(history.state, by: terms)
    // When her second run takes it over, then the first run's check says who drives it now
    history.record(
      .leaseAcquired(
        LeaseAcquired(second, expiresAt: later, found: .heldBy(lease(first, until: later)))))
    #expect(throws: RunbookError.leaseLost(history.state.incident, to: "alice (pid 42 on a)")) {
      try IncidentOwner.checkHold(history.state, by: terms)
    }
    // And once the incident is sealed by a handoff with an export, no run may drive it
    history.record(
      .handedOff(
        HandedOff(from: "alice", to: "bob", note: nil, export: "inc.jsonl", sealedAfter: "ab")))
    let second = LeaseTerms(
      run: self.second, seconds: 60, now: { UTCTime(millisecondsSinceEpoch: 0) })
    guard case .sealed(let to, let file, let at) = history.state.custody else {
      Issue.record("not sealed: \(String(describing: history.state.custody))")
      return
    }
    #expect((to, file) == ("bob", "inc.jsonl"))
    #expect(
      throws: RunbookError.notDrivable(
        history.state.incident, .sealed(to: "bob", file: "inc.jsonl", at: at))
    ) { try IncidentOwner.checkHold(history.state, by: second) }
  }
}
