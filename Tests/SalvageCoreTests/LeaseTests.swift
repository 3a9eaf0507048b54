import SalvageCore
import SalvageTestSupport
import Testing

@Suite struct LeaseTests {
  let now = UTCTime(millisecondsSinceEpoch: 1_000_000)
  let later = UTCTime(millisecondsSinceEpoch: 1_060_000)

  @Test func aMissingLeaseIsFreeAndOnesOwnIsMine() {
    #expect(Lease.check(nil, holder: "alice", host: "a", now: now) == .free)
    let mine = Lease(holder: "alice", host: "a", expiresAt: later)
    #expect(Lease.check(mine, holder: "alice", host: "a", now: now) == .mine)
  }

  @Test func someoneElsesLeaseHoldsUntilItExpires() {
    let bobs = Lease(holder: "bob", host: "b", expiresAt: later)
    #expect(Lease.check(bobs, holder: "alice", host: "a", now: now) == .heldBy(bobs))
    #expect(Lease.check(bobs, holder: "alice", host: "a", now: later) == .expired(bobs))
    // The same name on another host is another driver
    #expect(Lease.check(bobs, holder: "bob", host: "c", now: now) == .heldBy(bobs))
  }

  @Test func theFoldTracksTheLeaseAndTheHandoffs() {
    var history = RunbookHistory()
    history.record(.leaseAcquired(LeaseAcquired(holder: "alice", host: "a", expiresAt: later)))
    #expect(history.state.lease?.holder == "alice")
    #expect(history.state.holder == "alice")
    history.record(.leaseRenewed(LeaseRenewed(holder: "alice", expiresAt: UTCTime(millisecondsSinceEpoch: 2_000_000))))
    #expect(history.state.lease?.expiresAt.millisecondsSinceEpoch == 2_000_000)
    history.record(.handedOff(HandedOff(from: "alice", to: "bob", note: "drain is slow")))
    #expect(history.state.lease == nil)
    #expect(history.state.holder == "bob")
    #expect(history.state.handoffs.map(\.note) == ["drain is slow"])
    history.record(.leaseRenewed(LeaseRenewed(holder: "mallory", expiresAt: later)))
    #expect(history.state.anomalies.count == 1)
  }

  @Test func aTakeOverIsRecordedAgainstTheLiveHolder() {
    var history = RunbookHistory()
    history.record(.leaseAcquired(LeaseAcquired(holder: "alice", host: "a", expiresAt: later)))
    history.record(.leaseAcquired(LeaseAcquired(holder: "bob", host: "b", expiresAt: later, takenOverFrom: "alice")))
    #expect(history.state.lease?.holder == "bob")
    #expect(history.events.last?.event.summary.contains("taken over from alice") == true)
  }
}
