import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// A closed run someone else reset is named, with when and
/// why as the server recorded it (its reason says who: the server keeps no requester identity for
/// a reset), and never credited to salvage.
@Suite struct ResetAttributionTests {
  @Test func aClosedRunAPersonResetMidChunkIsNamedWithWhenAndWhyInTheLogAndTargets() async throws {
    // Given five closed runs frozen into one chunk, and alice resetting the third by hand as
    // salvage's first reset lands
    let world = try RunbookInProcess(closed: 5)
    #expect(try await world.runner().run(until: .drained) == .reached(.drained))
    let third = world.runIDs("FailWorkflow")[2]
    let cluster = world.cluster
    cluster.afterRunChange(1) {
      cluster.resetByHand(third, onto: "v1", reason: "alice: by hand")
    }
    // When salvage resets the chunk, one run at a time
    #expect(try await world.runner(chunkSize: 5, concurrency: 1).run() == .finished)
    // Then that run was reset once (by alice), and its outcome says when and why (her reason)
    #expect(world.cluster.resetsPerRun[third] == 1)
    let outcome = try #require(
      try world.state?.progress.closedResets.values.flatMap { $0 }.first { $0.runID == third })
    #expect(outcome.result == .alreadyReset)
    let newRun = try #require(outcome.newRunID)
    let at = try #require(world.cluster.executions.first { $0.runID == newRun }?.resetOrigin?.at)
    #expect(outcome.reason == "already reset to \(newRun) at \(at) (alice: by hand)")
    // And the record's line says so, naming the workflow
    let line = try #require(
      try world.open().events(of: world.incident).map(\.event).first {
        if case .closedRunsReset = $0 { true } else { false }
      }
    ).summary
    #expect(
      line.hasSuffix(
        "; already reset: failworkflow-2 (run \(third)): already reset to \(newRun) at \(at) "
          + "(alice: by hand)"))
    // And the compensation list has its row, with the same words
    let journal = try world.open()
    let state = try #require(try journal.state(of: world.incident))
    let rows = CompensationList.rows(
      of: state, identified: [],
      frozen: try state.progress.closedTargetsEvent.map(journal.executions(namedBy:)) ?? [])
    #expect(
      rows.first { $0.oldRunID == third }?.note
        == "already reset to \(newRun) at \(at) (alice: by hand)")
  }

  @Test func aResetSomeoneElseMadeAfterSalvagesAnswerWasLostIsNotCreditedToSalvage() async throws {
    // Given five closed runs, the first one's reset answer lost without effect, and alice
    // resetting that run by hand meanwhile
    let world = try RunbookInProcess(closed: 5)
    #expect(try await world.runner().run(until: .drained) == .reached(.drained))
    let first = world.runIDs("FailWorkflow")[0]
    world.cluster.resetLate(first, afterSeconds: 5, insteadByHand: "alice: by hand")
    // When salvage resets the chunk, one run at a time
    #expect(try await world.runner(chunkSize: 5, concurrency: 1).run() == .finished)
    // Then the run is recorded as already reset by alice, not as salvage's reset
    let outcome = try #require(
      try world.state?.progress.closedResets.values.flatMap { $0 }.first { $0.runID == first })
    #expect(outcome.result == .alreadyReset)
    #expect(outcome.reason?.hasSuffix("(alice: by hand)") == true)
  }
}
