import SalvageCore
import Testing

@testable import SalvageCLI

extension RunNotificationsTests {
  @Test("A busy batch slot seen again after other progress, or after a long silence, is timed anew")
  func aBusyBatchSlotSeenAgainAfterOtherProgressOrASilenceIsTimedAnew() {
    // Given a 600 s threshold and a batch slot busy 0 and 5 s into the run
    var decide = notifications(stallAfter: 600)
    let early = [0, 5].map { decide.progress(.batchSlotBusy(retryIn: 5), elapsed: Double($0)) }
    // When a batch is then followed, and a slot is busy again 1800 s into the run
    let between = decide.progress(
      .batch(job: "job-1", complete: 1, total: 2, waited: 30), elapsed: 40)
    let again = decide.progress(.batchSlotBusy(retryIn: 5), elapsed: 1800)
    // And a slot is busy once more after half an hour with no progress at all
    let afterSilence = decide.progress(.batchSlotBusy(retryIn: 5), elapsed: 3600)
    // Then none is said to stall: each busy slot is a new wait
    #expect(early.map(\.count) == [0, 0])
    #expect(between.isEmpty)
    #expect(again.isEmpty, "\(again.map(\.text))")
    #expect(afterSilence.isEmpty, "\(afterSilence.map(\.text))")
  }
}
