import SalvageCore
import Testing

@testable import SalvageCLI

/// The words of the long waits: for the bad version's pollers (a live worker is one to stop, a
/// remembered one is only waited for) and for drainage (what the server last said, and when).
@Suite struct WaitNoticeTests {
  static let v2 = WorkerDeploymentVersion(deploymentName: "acc", buildID: "v2")

  @Test("A worker the server only remembers is told as waited for, with when it is forgotten")
  func aWorkerTheServerOnlyRemembersIsToldAsWaitedForWithWhenItIsForgotten() {
    // Given a worker that last polled 74 s ago, forgotten in 226 s by a 300 s poller memory
    let remembered = [
      PollerSighting.Remembered(identity: "acc-bad@32260", lastPolledAgo: 74, forgottenIn: 226)
    ]
    // When the notice and the wait's progress are worded
    let notice = RunNotice.text(.pollersRemembered(Self.v2, remembered, memory: 300))
    let progress = RunNotice.text(.pollers(live: [], remembered: remembered, waited: 0))
    // Then they say when it last polled, that nothing polls now and when the server forgets it,
    // and never ask for it to be stopped
    #expect(
      notice
        == "acc-bad@32260 last polled 74 s ago; nothing polls acc:v2 now, but the server lists a "
        + "stopped worker for 5 min 00 s after its last poll and refuses the delete until it "
        + "forgets it (in about 226 s); waiting")
    #expect(
      progress == "waiting for the server to forget stopped workers acc-bad@32260 (in about 226 s)")
    #expect(!notice.contains("stop the"))
  }

  @Test("A worker still polling is named as one to stop, with how long the run has waited")
  func aWorkerStillPollingIsNamedAsOneToStopWithHowLongTheRunHasWaited() {
    // Given a worker still polling v2, 40 s into the wait
    // When the notice and the progress are worded
    let notice = RunNotice.text(.waitingForPollers(Self.v2, identities: ["acc-bad@1"]))
    let progress = RunNotice.text(
      .pollers(live: [.init(identity: "acc-bad@1", lastPolledAgo: 12)], remembered: [], waited: 40))
    // Then both name it as the one to stop
    #expect(notice == "stop the workers of acc:v2 now: acc-bad@1 still poll it; waiting")
    #expect(progress == "waiting for acc-bad@1 (last polled 12 s ago) to be stopped (40 s)")
  }

  @Test("A drain wait names the server's last check and its refresh, seen or default")
  func aDrainWaitNamesTheServersLastCheckAndItsRefreshSeenOrDefault() {
    // Given a wait before the server's first check, one after a check with the default refresh,
    // and one after two checks 120 s apart
    let first = DrainageWait(
      status: .draining, runningPinned: 2, waited: 30, lastCheckedAgo: nil, refresh: 180,
      refreshSeen: false)
    let checked = DrainageWait(
      status: .draining, runningPinned: 0, waited: 200, lastCheckedAgo: 95, refresh: 180,
      refreshSeen: false)
    let seen = DrainageWait(
      status: .draining, runningPinned: 0, waited: 320, lastCheckedAgo: 20, refresh: 120,
      refreshSeen: true)
    // When each is worded, and the notice as the wait begins
    let words = [first, checked, seen].map { RunNotice.text(.drainage($0)) }
    let begins = RunNotice.text(
      .awaitingDrainage(Self.v2, refresh: 180, grace: 180, timeout: 900))
    // Then each says the status, what is pinned, the last check and how often the server checks
    #expect(
      words == [
        "waiting for drainage: draining, 2 Running pinned; the server has not checked yet and "
          + "checks about every 3 min 00 s (its default) (30 s)",
        "waiting for drainage: draining, 0 Running pinned; the server last checked 95 s ago and "
          + "checks about every 3 min 00 s (its default) (200 s)",
        "waiting for drainage: draining, 0 Running pinned; the server last checked 20 s ago and "
          + "checks about every 2 min 00 s (320 s)",
      ])
    #expect(
      begins
        == "waiting for the server to report acc:v2 drained: by default it first checks 3 min 00 s "
        + "after the version left routing, then about every 3 min 00 s, so drained can come up to "
        + "3 min 00 s after the last pinned run closed; giving up after 15 min 00 s")
  }
}
