import SalvageCore
import SalvageFakes
import Testing

/// A batch found under an action's job id is adopted only
/// when that action started it, never another journal's incident of the same name.
@Suite struct BatchOwnershipTests {
  @Test func aBatchOfAnotherJournalsIncidentOfTheSameNameIsNotAdopted() async throws {
    // Given incident orders-1 recovered and drained from alice's journal
    let alices = try RunbookInProcess()
    #expect(try await alices.runner().run(until: .drained) == .reached(.drained))
    // And, later, two more stuck OrderWorkflows, and bob's own journal opening orders-1 too
    alices.cluster.add("OrderWorkflow", .running, count: 2, prefix: "later")
    let bobs = try RunbookInProcess(sharing: alices, openingSeed: 9)
    let aliceReason = try #require(
      alices.cluster.describeBatchReason("salvage/orders-1/recover-OrderWorkflow-1"))
    // When bob's run gets to the recovery, whose job id alice's journal already used
    await #expect(
      throws: RunbookError.batchNotOurs(
        "salvage/orders-1/recover-OrderWorkflow-1", reason: aliceReason)
    ) { _ = try await bobs.runner().run() }
    // Then bob's journal does not take alice's batch for its own, and says nothing took effect
    let recovery = try #require(try bobs.state).progress.actions.first {
      $0.id == "recover-OrderWorkflow-1"
    }
    #expect(recovery?.outcome == nil)
    #expect(recovery?.batchJob == "salvage/orders-1/recover-OrderWorkflow-1")
    // And the later runs are still Running on v2: nothing claims to have moved them
    #expect(
      alices.cluster.executions.filter { $0.workflowID.hasPrefix("later") }.map(\.status) == [
        .running, .running,
      ])
  }
}
