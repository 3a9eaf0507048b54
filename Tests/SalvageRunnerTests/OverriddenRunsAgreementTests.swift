import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// The visibility check before a reset round after the first (a run overridden to another build): a
/// run an earlier override round moved reports its *own* version (still the bad build until a task
/// completes elsewhere) beside the override, and must count as moved, never as still a target.
@Suite struct OverriddenRunsAgreementTests {
  @Test("A run an override round moved is not reset by a later reset round while visibility lags")
  func aRunMovedByAnOverrideRoundIsNotResetWhileVisibilityLags() async throws {
    // Given PaymentWorkflow's two runs moved to v3 by an override round while visibility lags far
    // behind (it still lists them Running on the bad build v2), and the type decided again since,
    // to a reset onto v1
    let world = try RunbookInProcess(stuck: 0)
    _ = try await world.runner().run(until: .identified)
    world.cluster.lagVisibility(seconds: 100_000)
    _ = try await world.runner().run(until: .recovering)
    let moved = world.cluster.executions.filter { $0.type == "PaymentWorkflow" }
    #expect(moved.count == 2 && moved.allSatisfy { $0.overrideBuild == "v3" })
    try world.decide(
      StrategyDecided(
        workflowType: "PaymentWorkflow", restartable: true, corrupted: false,
        strategy: .resetToGoodBuild, targetBuild: "v1", source: .operatorDecision,
        rationale: "reset instead"))
    // When the drain wait stalls and sends the type's recovery again (looking once a second)
    let stop = try await world.runner(poll: 1).run()
    // Then the reset round waits for visibility instead of resetting the runs the override moved
    let payment = world.cluster.executions.filter {
      $0.type == "PaymentWorkflow" && $0.resetFrom == nil
    }
    #expect(payment.allSatisfy { $0.resetRunID == nil && $0.status == .running })
    guard case .blocked(let reason) = stop else {
      Issue.record("expected the round to wait for visibility, got \(stop)")
      return
    }
    #expect(reason.contains("visibility still lists runs of PaymentWorkflow"))
  }
}
