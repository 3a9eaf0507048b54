import SalvageCore
import Testing

@testable import SalvageCLI

/// The words a clean-up wait uses for the bad version's pollers: a live worker is one to stop, a
/// remembered one is only waited for.
@Suite struct PollerNoticeTests {
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
    let progress = RunNotice.text(.pollers(live: ["acc-bad@1"], remembered: [], waited: 40))
    // Then both name it as the one to stop
    #expect(notice == "stop the workers of acc:v2 now: acc-bad@1 still poll it; waiting")
    #expect(progress == "waiting for acc-bad@1 to be stopped (40 s)")
  }
}
