import SalvageCore
import SalvageJournal
import SalvageTestSupport
import Testing

/// A run someone else restarted (terminated and started again by hand) during salvage's restart
/// round is left alone and named with who started its new run and when, as the server recorded
/// it, in the outcome, the text log's line for the round, and the compensation list (`targets`).
@Suite struct RestartAttributionTests {
  @Test func aRunAPersonRestartedMidRoundIsNamedWithWhoStartedItAndWhen() async throws {
    // Given three stuck ReplaceWorkflow runs decided for a restart, and alice restarting the third
    // by hand from her laptop as salvage's first termination lands
    let world = try RunbookRestartTests.world()
    let cluster = world.cluster
    cluster.afterRunChange(1) {
      cluster.restartByHand("replaceworkflow-2", onto: "v1", identity: "alice@laptop")
    }
    // When salvage restarts the type, one run at a time
    #expect(try await world.runner(concurrency: 1).run() == .finished)
    // Then her run was not terminated or started again by salvage: the workflow id has her two runs
    let runs = RunbookRestartTests.runs(world)["replaceworkflow-2"] ?? []
    #expect(runs.map(\.status) == [.terminated, .running])
    let hers = try #require(runs.last)
    #expect(hers.requestIDs.isEmpty)
    // And its outcome names who started the current run, and when, as the server recorded it
    let at = UTCTime(millisecondsSinceEpoch: try #require(hers.startedAt))
    let expected =
      "started again by alice@laptop at \(at) as \(hers.runID) (Running), not by salvage"
    let state = try #require(try world.state)
    let outcome = try #require(
      state.progress.restarts.values.flatMap { $0 }.first { $0.workflowID == "replaceworkflow-2" })
    #expect(outcome.result == .leftAlone)
    #expect(outcome.reason == expected)
    // And the round's line in the record says so, and the compensation list has the same words
    let line = try #require(
      try world.open().events(of: world.incident).map(\.event).first {
        if case .runsRestarted = $0 { true } else { false }
      }
    ).summary
    #expect(line.contains("replaceworkflow-2 (run \(runs[0].runID)): \(expected)"))
    let journal = try world.open()
    let rows = CompensationList.rows(
      of: state,
      identified: try state.progress.identificationEvent.map(journal.executions(namedBy:))
        ?? [], frozen: [])
    #expect(rows.first { $0.oldRunID == runs[0].runID }?.note == expected)
  }
}
