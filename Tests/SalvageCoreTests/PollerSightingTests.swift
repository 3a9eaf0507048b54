import SalvageCore
import Testing

/// Reading the server's list of pollers against its long poll and its poller memory.
@Suite struct PollerSightingTests {
  static let v2 = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2")
  static let now = UTCTime(millisecondsSinceEpoch: 1_000_000_000)

  static func poller(_ identity: String, secondsAgo: Int64?, queue: String = "orders-tq") -> Poller
  {
    Poller(
      identity: identity, taskQueue: queue, version: v2,
      lastAccess: secondsAgo.map {
        UTCTime(millisecondsSinceEpoch: now.millisecondsSinceEpoch - $0 * 1000)
      })
  }

  static func sighting(_ pollers: [Poller], previous: PollerSighting? = nil, at: UTCTime = now)
    -> PollerSighting
  {
    PollerSighting(pollers, at: at, livePollWindow: 70, memory: 300, previous: previous)
  }

  @Test("A worker that polled within the long poll is live, one quiet for longer is remembered")
  func aWorkerThatPolledWithinTheLongPollIsLiveOneQuietForLongerIsRemembered() {
    // Given one worker that polled 30 s ago and one that last polled 74 s ago
    let pollers = [
      Self.poller("acc-bad@2", secondsAgo: 74), Self.poller("acc-bad@1", secondsAgo: 30),
    ]
    // When they are read against a 70 s long poll and a 300 s memory
    let seen = Self.sighting(pollers)
    // Then the first is live and the second remembered, forgotten in 226 s
    #expect(seen.live == ["acc-bad@1"])
    #expect(
      seen.remembered == [.init(identity: "acc-bad@2", lastPolledAgo: 74, forgottenIn: 226)])
    #expect(seen.identities == ["acc-bad@1", "acc-bad@2"])
    #expect(!seen.overdue(memory: 300, margin: 60))
  }

  @Test("A worker whose last poll moved since the last look is live, whatever the clocks say")
  func aWorkerWhoseLastPollMovedSinceTheLastLookIsLiveWhateverTheClocksSay() {
    // Given a worker that looked quiet for 100 s by this machine's clock (ahead of the server's)
    let before = Self.sighting([Self.poller("acc-bad@1", secondsAgo: 100)])
    // When the next look finds its last poll 5 s later than before
    let later = UTCTime(millisecondsSinceEpoch: Self.now.millisecondsSinceEpoch + 10_000)
    let after = Self.sighting(
      [Self.poller("acc-bad@1", secondsAgo: 95)], previous: before, at: later)
    // Then it was remembered at first and is live now
    #expect(before.rememberedIdentities == ["acc-bad@1"])
    #expect(before.pollingAgain.isEmpty)
    #expect(after.live == ["acc-bad@1"])
    #expect(after.pollingAgain == ["acc-bad@1"])
    #expect(after.remembered.isEmpty)
  }

  @Test("A worker listed on two queues is read by its latest poll, and one with no time is live")
  func aWorkerListedOnTwoQueuesIsReadByItsLatestPollAndOneWithNoTimeIsLive() {
    // Given a worker quiet on its workflow queue but polling its activity queue, and a poller
    // the server gives no last access time
    let pollers = [
      Self.poller("acc-bad@1", secondsAgo: 200),
      Self.poller("acc-bad@1", secondsAgo: 3, queue: "act"),
      Self.poller("legacy@9", secondsAgo: nil),
    ]
    // When they are read
    let seen = Self.sighting(pollers)
    // Then both are live, each named once
    #expect(seen.live == ["acc-bad@1", "legacy@9"])
    #expect(seen.remembered.isEmpty)
  }

  @Test("Only stopped workers listed past the memory and its margin are overdue")
  func onlyStoppedWorkersListedPastTheMemoryAndItsMarginAreOverdue() {
    // Given one worker quiet for 359 s, then 360 s, then beside a live one
    let almost = Self.sighting([Self.poller("acc-bad@1", secondsAgo: 359)])
    let past = Self.sighting([Self.poller("acc-bad@1", secondsAgo: 360)])
    let beside = Self.sighting([
      Self.poller("acc-bad@1", secondsAgo: 360), Self.poller("acc-bad@2", secondsAgo: 1),
    ])
    // When each is asked whether it is overdue against 300 s and a 60 s margin
    // Then only the second is, forgotten "in 0 s"
    #expect(!almost.overdue(memory: 300, margin: 60))
    #expect(past.overdue(memory: 300, margin: 60))
    #expect(past.remembered.first?.forgottenIn == 0)
    #expect(!beside.overdue(memory: 300, margin: 60))
  }
}
