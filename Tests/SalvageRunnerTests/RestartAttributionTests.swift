import SalvageCore
import SalvageFakes
import SalvageJournal
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
    #expect(try await world.runner(chunkSize: 10, concurrency: 1).run() == .finished)
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

/// What is not someone else's restart is never named as one.
@Suite struct RestartAttributionLimitsTests {
  @Test func aRunThatContinuedAsNewIsLeftAloneAsAContinuationNotAsSomeoneElsesRestart()
    async throws
  {
    // Given three stuck ReplaceWorkflow runs decided for a restart, the third continuing as new
    // by itself as salvage's first termination lands
    let world = try RunbookRestartTests.world()
    let cluster = world.cluster
    cluster.afterRunChange(1) { cluster.continueAsNew("replaceworkflow-2") }
    // When salvage restarts the type, one run at a time (the drain then waits on the run that
    // went on, still pinned to the bad build, until the run gives up)
    await #expect(throws: RunbookError.self) {
      _ = try await world.runner(chunkSize: 10, concurrency: 1, drainTimeout: 5).run()
    }
    // Then the run is left alone as a continuation, with no new run credited to anyone, and
    // targets has no row for it
    let runs = RunbookRestartTests.runs(world)["replaceworkflow-2"] ?? []
    let next = try #require(runs.last)
    let state = try #require(try world.state)
    let outcome = try #require(
      state.progress.restarts.values.flatMap { $0 }.first { $0.workflowID == "replaceworkflow-2" })
    #expect(outcome.result == .leftAlone)
    #expect(outcome.newRunID == nil)
    #expect(
      outcome.reason
        == "its workflow id went on as \(next.runID) (Running) by continue-as-new, not a restart")
    let journal = try world.open()
    let rows = CompensationList.rows(
      of: state,
      identified: try state.progress.identificationEvent.map(journal.executions(namedBy:)) ?? [],
      frozen: [])
    #expect(!rows.contains { $0.workflowID == "replaceworkflow-2" })
  }

  @Test func aRunResetByHandWhoseResetCannotBeReadNamesNobody() async throws {
    // Given three stuck ReplaceWorkflow runs decided for a restart, the third reset by hand as
    // salvage's first termination lands, and reading who reset it failing
    let world = try RunbookRestartTests.world()
    let cluster = world.cluster
    let third = try #require(RunbookRestartTests.runs(world)["replaceworkflow-2"]?.first?.runID)
    cluster.afterRunChange(1) {
      cluster.resetByHand(third, onto: "v1", reason: "bob: by hand")
      cluster.failResetOrigins(of: "replaceworkflow-2")
    }
    // When salvage restarts the type, one run at a time (the drain then waits on the run bob's
    // reset left Running, until the run gives up)
    await #expect(throws: RunbookError.self) {
      _ = try await world.runner(chunkSize: 10, concurrency: 1, drainTimeout: 5).run()
    }
    // Then the run is left alone without naming the application's starter of the original run
    // (which the reset's run copies) as the one who started it again
    let outcome = try #require(
      try world.state?.progress.restarts.values.flatMap { $0 }.first {
        $0.workflowID == "replaceworkflow-2"
      })
    #expect(outcome.result == .leftAlone)
    #expect(outcome.newRunID == nil)
    #expect(outcome.reason?.hasPrefix("no longer its workflow id's current run") == true)
    #expect(outcome.reason?.contains("orders-app") == false)
  }

  @Test func aRunSomeoneRestartedIsOneRowOfTargetsAndLaterRoundsDoNotTakeItAgain() async throws {
    // Given three stuck ReplaceWorkflow runs decided for a restart; as salvage's first termination
    // lands, alice restarts the third by hand and the second's history can no longer be read, so
    // every round ends with a failure and the next round takes the failed run again
    let world = try RunbookRestartTests.world()
    let cluster = world.cluster
    cluster.afterRunChange(1) {
      cluster.restartByHand("replaceworkflow-2", onto: "v1", identity: "alice@laptop")
      cluster.failFirstEvents(of: "replaceworkflow-1")
    }
    // When salvage restarts the type until it stops asking for help
    guard case .blocked = try await world.runner(chunkSize: 10, concurrency: 1).run() else {
      Issue.record("the run did not stop on the failing run")
      return
    }
    // Then the failing run was taken by the first round (which settled the others) and by three
    // rounds in a row that settled nothing, alice's run by the first only (settled, it is not
    // taken again), and targets lists hers once, as started elsewhere
    let state = try #require(try world.state)
    let outcomes = state.progress.restarts.values.flatMap { $0 }
    #expect(outcomes.filter { $0.workflowID == "replaceworkflow-1" }.count == 4)
    #expect(outcomes.filter { $0.workflowID == "replaceworkflow-2" }.count == 1)
    let journal = try world.open()
    let rows = CompensationList.rows(
      of: state,
      identified: try state.progress.identificationEvent.map(journal.executions(namedBy:)) ?? [],
      frozen: [])
    let hers = rows.filter { $0.workflowID == "replaceworkflow-2" }
    #expect(hers.map(\.done) == [.startedElsewhere])
    #expect(hers.first?.note?.hasPrefix("started again by alice@laptop at ") == true)
  }
}
