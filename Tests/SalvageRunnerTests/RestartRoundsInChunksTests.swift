import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// A restart of thousands is not one action: each round takes one chunk of the frozen set (the
/// runs no round since the freeze settled), journaled like a chunk of closed resets, so a crash
/// loses at most a chunk's answers and the journal never holds one event of thousands of outcomes.
@Suite struct RestartRoundsInChunksTests {
  /// Five stuck ReplaceWorkflow runs decided for a restart onto v1.
  static func world() throws -> RunbookInProcess {
    let world = try RunbookInProcess()
    world.cluster.add("ReplaceWorkflow", .running, count: 5)
    try RunbookRestartTests.decideRestart(world)
    return world
  }

  @Test func fiveRunsInChunksOfTwoAreRestartedInThreeRoundsEachRunOnce() async throws {
    // Given five stuck runs decided for a restart
    let world = try Self.world()
    // When salvage runs to the end in chunks of two
    #expect(try await world.runner(chunkSize: 2).run() == .finished)
    // Then one freeze of five, then three rounds of two, two and one runs, each run in one round
    let state = try #require(try world.state)
    let rounds = [
      "recover-ReplaceWorkflow-1", "recover-ReplaceWorkflow-2", "recover-ReplaceWorkflow-3",
    ]
    #expect(state.progress.restartFreezes["ReplaceWorkflow"]?.frozen.count == 5)
    #expect(rounds.map { state.progress.restarts[$0]?.count } == [2, 2, 1])
    let restarted = rounds.flatMap { state.progress.restarts[$0] ?? [] }
    #expect(Set(restarted.map(\.runID)).count == 5)
    #expect(restarted.allSatisfy { $0.result == .restarted })
    // And only the last round settled the freeze: the type was recovered then, not before
    #expect(state.progress.restartRoundsSettlingFreeze == ["recover-ReplaceWorkflow-3"])
    // And every workflow id was started again exactly once, on v1
    for (id, history) in RunbookRestartTests.runs(world) {
      #expect(history.count == 2, "\(id) has \(history.count) runs")
      #expect(history.last?.build == "v1")
    }
  }

  @Test(arguments: [1, 2, 3, 4], [true, false])
  func aSecondRoundKilledInsideAnyCallIsFinishedWithoutASecondStart(nth: Int, delivered: Bool)
    async throws
  {
    // Given five stuck runs in chunks of two, the second round dying in its nth change
    let world = try Self.world()
    world.cluster.crashMidCall(action: "recover-ReplaceWorkflow-2", nth: nth, delivered: delivered)
    await #expect(throws: CrashSwitch.Crashed.self) {
      _ = try await world.runner(chunkSize: 2).run()
    }
    // When a fresh runner resumes on the same journal file
    #expect(try await world.runner(chunkSize: 2).run() == .finished)
    // Then the second round was settled by checking its own two runs, the third took the last
    // run, and every workflow id was started again exactly once, on v1
    let state = try #require(try world.state)
    #expect(state.progress.restarts["recover-ReplaceWorkflow-2"]?.count == 2)
    #expect(state.progress.restarts["recover-ReplaceWorkflow-3"]?.count == 1)
    for (id, history) in RunbookRestartTests.runs(world) {
      #expect(history.count == 2, "\(id) has \(history.count) runs")
      #expect(history.last?.build == "v1")
    }
  }

  @Test func oneRunThatCannotBeRestartedHoldsUpNoRoundOfTheOthers() async throws {
    // Given 25 stuck runs decided for a restart in chunks of five, and the history of the sixth
    // (in run-id order) unreadable once the first round has begun
    let world = try RunbookInProcess()
    world.cluster.add("ReplaceWorkflow", .running, count: 25)
    try RunbookRestartTests.decideRestart(world)
    let stuck = world.cluster.executions.filter { $0.type == "ReplaceWorkflow" }.sorted {
      $0.runID < $1.runID
    }
    let broken = stuck[5].workflowID
    let cluster = world.cluster
    cluster.afterRunChange(1) { cluster.failFirstEvents(of: broken) }
    // When salvage runs the incident
    let stop = try await world.runner(chunkSize: 5).run()
    // Then every other run was restarted, exactly once, on v1
    let runs = RunbookRestartTests.runs(world)
    for (id, history) in runs where id != broken {
      #expect(history.count == 2, "\(id) has \(history.count) runs")
      #expect(history.last?.build == "v1")
    }
    // And the run stops naming the one run left, still Running and never terminated
    #expect(runs[broken]?.count == 1)
    #expect(runs[broken]?.first?.status == .running)
    guard case .blocked(let message) = stop else {
      Issue.record("the run ended \(stop)")
      return
    }
    #expect(
      message.hasPrefix(
        "restart ReplaceWorkflow: 3 rounds in a row left 1 runs not restarted: \(broken) ("))
  }

  @Test func aRoundWhoseFirstEventCannotBeReadForTheServersTroubleStopsAtTheFirstRun()
    async throws
  {
    // Given 25 stuck runs decided for a restart in chunks of five, and the server out of reach
    // for history reads once the freeze has read the 25 first events
    let world = try RunbookInProcess()
    world.cluster.add("ReplaceWorkflow", .running, count: 25)
    try RunbookRestartTests.decideRestart(world)
    let unreachable = TemporalError.unreachable("Could not establish a connection")
    world.cluster.failHistoryReads(after: 25, with: unreachable)
    // When salvage runs the incident
    await #expect(throws: unreachable) { _ = try await world.runner(chunkSize: 5).run() }
    // Then it stopped at the first run that could stand for the round, instead of trying every
    // run of the freeze (each a minute of retries against an unreachable server)
    #expect(world.cluster.historyReadsFailed == 1)
    // And nothing was terminated
    #expect(RunbookRestartTests.runs(world).values.allSatisfy { $0.count == 1 })
  }
}
