import SalvageCore
import SalvageFakes
import Testing

/// A recovery round after the first selects only what
/// the earlier rounds left, whatever visibility still shows, and never by a query too long to send.
@Suite struct SecondRoundTests {
  @Test func aSecondResetRoundLeavesAloneTheRunsTheFirstMovedWhileVisibilityStillListsThem()
    async throws
  {
    // Given three stuck OrderWorkflows to reset onto v1, a first round that fails on one of them,
    // and visibility 20 s behind the server
    let world = try RunbookInProcess(visibilityLag: 20)
    world.cluster.failBatches(on: "OrderWorkflow", each: 1)
    // When salvage runs the incident to the end
    #expect(try await world.runner().run() == .finished)
    // Then the second round went out and every stuck run was reset exactly once
    #expect(
      try world.state?.progress.actions.filter { $0.subject == "OrderWorkflow" }.map(\.id) == [
        "recover-OrderWorkflow-1", "recover-OrderWorkflow-2",
      ])
    let resets = world.cluster.resetsPerRun
    #expect(world.runIDs("OrderWorkflow").map { resets[$0] ?? 0 } == [1, 1, 1])
  }

  @Test func aSecondRoundOfThousandsOfRunsSelectsByNameNotByATooLongListOfRunIDs() async throws {
    // Given 3,100 stuck OrderWorkflows with run ids as long as the server's, and a first round
    // that fails on one of them
    let world = try RunbookInProcess(stuck: 3_100, longRunIDs: true)
    world.cluster.failBatches(on: "OrderWorkflow", each: 1)
    // When salvage runs the incident to the end
    #expect(try await world.runner(chunkSize: 500).run() == .finished)
    // Then the second round selected the one run left by name, and every run was reset once
    let resets = world.cluster.resetsPerRun
    let stuck = world.runIDs("OrderWorkflow")
    #expect(stuck.count == 3_100)
    #expect(stuck.allSatisfy { resets[$0] == 1 })
    #expect(
      try world.state?.progress.actions.filter { $0.subject == "OrderWorkflow" }.count == 2)
  }

  @Test func thousandsOfRunsOfATypeVisibilityCannotMatchByNameAreRecoveredInRunIDChunks()
    async throws
  {
    // Given 3,100 stuck OrderWorkflows with server-length run ids, whose name visibility cannot
    // match by equality
    let world = try RunbookInProcess(stuck: 3_100, longRunIDs: true)
    world.cluster.makeTypeUnmatchable("OrderWorkflow")
    // When salvage runs the incident to the end
    #expect(try await world.runner(chunkSize: 500).run() == .finished)
    // Then every run was reset exactly once, by rounds scoped by run ids that each fit the limit
    let resets = world.cluster.resetsPerRun
    let stuck = world.runIDs("OrderWorkflow")
    #expect(stuck.allSatisfy { resets[$0] == 1 })
    let rounds = try #require(try world.state).progress.actions.filter {
      $0.subject == "OrderWorkflow"
    }
    #expect(rounds.count == 2)
    #expect(rounds.allSatisfy { $0.outcome == .succeeded })
  }
}

extension SecondRoundTests {
  @Test func runIDChunksUnderLaggingVisibilityAreEachResetOnceWithNoFalseStop() async throws {
    // Given 3,100 stuck OrderWorkflows with server-length run ids, a name visibility cannot match,
    // and visibility 5 s behind the server
    let world = try RunbookInProcess(stuck: 3_100, visibilityLag: 5, longRunIDs: true)
    world.cluster.makeTypeUnmatchable("OrderWorkflow")
    // When salvage runs the incident to the end
    #expect(try await world.runner(chunkSize: 500).run() == .finished)
    // Then every run was reset exactly once
    let resets = world.cluster.resetsPerRun
    #expect(world.runIDs("OrderWorkflow").allSatisfy { resets[$0] == 1 })
  }
}

/// A change whose answer was lost stays in doubt until the
/// server can no longer act on it.
@Suite struct LostAnswerTests {
  @Test func aBatchThatStartsAfterItsLaunchTimedOutIsFollowedAndNotLaunchedAgain() async throws {
    // Given a recovery batch whose launch times out and which the server starts 20 s later, and
    // visibility 5 s behind
    let world = try RunbookInProcess(visibilityLag: 5)
    world.cluster.startLate(action: "recover-OrderWorkflow-1", afterSeconds: 20)
    // When salvage runs the incident
    let outcome = try await world.runner().run()
    // Then it finished: the late batch was found under its job id and followed, one round,
    // recorded as done
    #expect(outcome == .finished)
    let rounds = try #require(try world.state).progress.actions.filter {
      $0.subject == "OrderWorkflow"
    }
    #expect(rounds.map(\.id) == ["recover-OrderWorkflow-1"])
    #expect(rounds.first?.outcome == .succeeded)
    // And every stuck run was reset exactly once
    let resets = world.cluster.resetsPerRun
    #expect(world.runIDs("OrderWorkflow").map { resets[$0] ?? 0 } == [1, 1, 1])
  }

  @Test func aClosedResetWhoseAnswerWasLostIsNotSentAgainBeforeItsDeadlineHasPassed()
    async throws
  {
    // Given five closed runs, the first of which is reset 5 s after its reset's answer was lost
    let world = try RunbookInProcess(closed: 5)
    let first = try #require(world.runIDs("FailWorkflow").first)
    world.cluster.resetLate(first, afterSeconds: 5)
    // When salvage runs the incident to the end
    #expect(try await world.runner(chunkSize: 5).run() == .finished)
    // Then that run was reset once, by the late reset, which the record credits to salvage
    let resets = world.cluster.resetsPerRun
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    #expect(closed.map { resets[$0] ?? 0 } == [1, 1, 1, 1, 1])
    let outcome = try #require(try world.state).progress.closedResets.values.flatMap { $0 }.first {
      $0.runID == first
    }
    #expect(outcome?.result == .reset)
    #expect(
      outcome?.reason
        == "its answer was lost (ResetWorkflowExecution did not answer within 60 s); the check found it"
    )
  }
}
