import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// Closed runs are reset in the statuses chosen for their Workflow Type, and the check before each
/// reset keeps salvage off the runs its own recovery terminated.
@Suite struct ClosedStatusChoiceTests {
  /// Records a later decision for `type`, choosing `statuses` for its closed runs.
  func choose(
    _ statuses: [ExecutionStatus], for type: String, restartable: Bool = true,
    in world: RunbookInProcess
  )
    throws
  {
    let journal = try world.open()
    let version = try #require(try journal.state(of: world.incident)).version
    var factory = EventFactory(seed: 11)
    _ = try journal.append(
      [
        factory.pending(
          .strategyDecided(
            StrategyDecided(
              workflowType: type, restartable: restartable, corrupted: false,
              strategy: .resetToGoodBuild,
              targetBuild: "v1", source: .operatorDecision, rationale: "chosen",
              closedStatuses: statuses)))
      ],
      to: world.incident, expectedVersion: version, actor: "alice")
  }

  @Test func aCompletedRunIsResetOnlyWhenCompletedIsChosenForItsType() async throws {
    // Given Completed chosen for ReportWorkflow, whose one run completed on the bad build
    let world = try RunbookInProcess()
    try choose([.completed], for: "ReportWorkflow", in: world)
    // When salvage runs to the end
    #expect(try await world.runner().run() == .finished)
    // Then the Completed run was reset once, beside the default Failed and TimedOut ones
    let report = world.runIDs("ReportWorkflow")
    #expect(report.map { world.cluster.resetsPerRun[$0] } == [1])
    #expect(world.runIDs("FailWorkflow").map { world.cluster.resetsPerRun[$0] } == [1, 1, 1, 1])
    #expect(world.runIDs("TimeoutWorkflow").map { world.cluster.resetsPerRun[$0] } == [1])
  }

  @Test func withoutAChoiceACompletedRunIsNotATarget() async throws {
    // Given no choice for ReportWorkflow
    let world = try RunbookInProcess()
    // When salvage runs to the end
    #expect(try await world.runner().run() == .finished)
    // Then its Completed run was never reset, nor frozen
    #expect(world.runIDs("ReportWorkflow").map { world.cluster.resetsPerRun[$0] } == [nil])
    #expect(try world.state?.progress.closedTargets?.chunkSizes.reduce(0, +) == 5)
  }

  @Test func theRunsARecoveryTerminatedAreNotResetAgainWhenTerminatedIsChosen() async throws {
    // Given Terminated chosen for OrderWorkflow, whose 3 stuck runs the recovery will reset with
    // a move (terminating them), on a server that does not name the new run on them: only their
    // workflow ids' newer current runs tell them apart from targets
    let world = try RunbookInProcess()
    try choose([.failed, .timedOut, .terminated], for: "OrderWorkflow", in: world)
    world.cluster.batchResetsLeaveNoResetRunID()
    let stuck = world.runIDs("OrderWorkflow")
    // When salvage runs to the end
    #expect(try await world.runner().run() == .finished)
    // Then the terminated runs were frozen as targets (they match the chosen statuses), and the
    // check before each reset left every one alone: each was reset once, by the recovery only
    #expect(stuck.map { world.cluster.resetsPerRun[$0] } == [1, 1, 1])
    let outcomes = try #require(try world.state).progress.closedResets.values.flatMap { $0 }
    let theirs = outcomes.filter { stuck.contains($0.runID) }.sorted { $0.runID < $1.runID }
    #expect(theirs.map(\.runID) == stuck)
    #expect(theirs.allSatisfy { $0.result == .leftAlone })
    #expect(
      theirs.allSatisfy { $0.reason?.hasPrefix("no longer its workflow id's current run") == true })
    // And the closed runs of other types were still reset
    #expect(world.runIDs("FailWorkflow").map { world.cluster.resetsPerRun[$0] } == [1, 1, 1, 1])
  }
}
