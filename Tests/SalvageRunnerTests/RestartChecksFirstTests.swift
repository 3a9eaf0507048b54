import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// Terminate-and-restart checks everything it can before
/// it terminates, so a run it must not restart is never left terminated.
@Suite struct RestartChecksFirstTests {
  @Test func aRunSomeonePinnedByOverrideAfterTheFreezeIsLeftRunning() async throws {
    // Given three stuck ReplaceWorkflow runs decided for a restart, and a person who pins the
    // second one to v3 by hand as the first is terminated
    let world = try RunbookRestartTests.world()
    let cluster = world.cluster
    cluster.afterRunChange(1) { cluster.pinByOverride("replaceworkflow-1", to: "v3") }
    // When salvage runs the recovery, one run at a time
    let outcome = try await world.runner(chunkSize: 10, concurrency: 1).run(until: .recovering)
    #expect(outcome == .reached(.recovering))
    // Then the pinned run is still Running, never terminated, and the record says why
    let runs = RunbookRestartTests.runs(world)["replaceworkflow-1"] ?? []
    #expect(runs.map(\.status) == [.running])
    let round = try #require(try world.state).progress.restarts["recover-ReplaceWorkflow-1"] ?? []
    let left = try #require(round.first { $0.workflowID == "replaceworkflow-1" })
    #expect(left.result == .leftAlone)
    #expect(
      left.reason
        == "a Versioning Override pins it to orders:v3, not orders:v2: left to whoever set it"
    )
    // And the other two were restarted
    #expect(round.filter { $0.result == .restarted }.count == 2)
  }

  @Test func aRunWhoseFirstEventCannotBeReadIsNotTerminated() async throws {
    // Given the same restart, and the history of the third run unreadable once the round starts
    let world = try RunbookRestartTests.world()
    let cluster = world.cluster
    cluster.afterRunChange(1) { cluster.failFirstEvents(of: "replaceworkflow-2") }
    // When salvage runs the recovery, one run at a time
    _ = try await world.runner(chunkSize: 10, concurrency: 1).run(until: .recovering)
    // Then that run is still Running: it was not terminated without a way to start it again
    let runs = RunbookRestartTests.runs(world)["replaceworkflow-2"] ?? []
    #expect(runs.map(\.status) == [.running])
    // And the round recorded it failed with the reason, the two others restarted
    let round = try #require(try world.state).progress.restarts["recover-ReplaceWorkflow-1"] ?? []
    #expect(round.first { $0.workflowID == "replaceworkflow-2" }?.result == .failed)
    #expect(
      round.first { $0.workflowID == "replaceworkflow-2" }?.reason
        == "GetWorkflowExecutionHistory failed (internalError): history of replaceworkflow-2 cannot be read"
    )
    #expect(
      round.filter { $0.result == .restarted }.map(\.workflowID).sorted() == [
        "replaceworkflow-0", "replaceworkflow-1",
      ])
  }
}

extension RestartChecksFirstTests {
  @Test func anInDoubtRoundIsSettledWithItsOwnDecisionNotOneMadeSince() async throws {
    // Given a restart round onto v1 killed in its third change, after one run was started again
    let world = try RunbookRestartTests.world()
    world.cluster.crashMidCall(action: "recover-ReplaceWorkflow-1", nth: 3, delivered: false)
    await #expect(throws: CrashSwitch.Crashed.self) {
      _ = try await world.runner(chunkSize: 10, concurrency: 1).run()
    }
    // And ReplaceWorkflow decided again since, for a restart onto v3
    try RunbookRestartTests.decideRestart(world, target: "v3")
    // When a fresh run settles the round
    #expect(try await world.runner(chunkSize: 10).run(until: .recovering) == .reached(.recovering))
    // Then every run of that round was started again on the round's own target, v1
    let runs = RunbookRestartTests.runs(world).filter { !$0.key.hasPrefix("replace-failed") }
    #expect(runs.count == 3)
    for (id, history) in runs {
      #expect(history.map(\.build).last == "v1", "\(id) ended on \(history.last?.build ?? "-")")
    }
  }
}

extension RestartChecksFirstTests {
  @Test func aRestartOfThousandsOfRunsVisibilityCannotMatchByNameFreezesThemInRunIDChunks()
    async throws
  {
    // Given 3,100 stuck ReplaceWorkflow runs with server-length run ids, a name visibility cannot
    // match by equality, decided for a restart
    let world = try RunbookInProcess(longRunIDs: true)
    world.cluster.add("ReplaceWorkflow", .running, count: 3_100)
    world.cluster.makeTypeUnmatchable("ReplaceWorkflow")
    try RunbookRestartTests.decideRestart(world)
    // When salvage runs the incident to the end
    #expect(try await world.runner(chunkSize: 500).run() == .finished)
    // Then all of them were frozen (listed chunk by chunk) and each started again exactly once
    let freeze = try #require(try world.state?.progress.restartFreezes["ReplaceWorkflow"])
    #expect(freeze.frozen.count == 3_100)
    let runs = RunbookRestartTests.runs(world)
    #expect(runs.count == 3_100)
    #expect(runs.values.allSatisfy { $0.count == 2 && $0.last?.build == "v1" })
  }
}
