import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// `decide --one-time-override` in process: the type's recovery sends one-time
/// Versioning Overrides, recorded, leaves no pin behind, and is refused by a server too old for it.
@Suite struct OneTimeOverrideTests {
  /// The in-process rollout with PaymentWorkflow decided again: to v3 with one-time overrides.
  func decidedOneTime() throws -> RunbookInProcess {
    let world = try RunbookInProcess()
    try world.decide(
      StrategyDecided.make(
        workflowType: "PaymentWorkflow", restartable: false, corrupted: false,
        replaySafeBuild: "v3", incident: #require(try world.state?.details),
        source: .operatorDecision, rationale: "v3 is replay-safe", oneTimeOverride: true))
    return world
  }

  @Test("A type decided with one-time overrides is recovered with them and leaves no pin behind")
  func aOneTimeTypeIsRecoveredWithOneTimeOverridesAndLeavesNoPin() async throws {
    // Given PaymentWorkflow decided to v3 with one-time overrides, OrderWorkflow reset onto v1
    let world = try decidedOneTime()
    // When the runbook runs to the end
    let stop = try await world.runner().run()
    // Then Payment's override batch went out with one-time overrides, Order's reset with pinned ones
    #expect(stop == .finished)
    let sent = zip(world.cluster.changes, world.cluster.contexts)
    let payment = sent.first {
      if case .updateOptions = $0.0 { true } else { false }
    }
    let order = sent.first {
      if case .resetWithMove = $0.0 { true } else { false }
    }
    #expect(payment?.1.overrides == .oneTime)
    #expect(order?.1.overrides == .pinned)
    // And the decision says so, and the pins left behind name Order's build only
    let state = try #require(try world.state)
    #expect(state.progress.decisions["PaymentWorkflow"]?.oneTimeOverride == true)
    #expect(
      IncidentEvent.strategyDecided(try #require(state.progress.decisions["PaymentWorkflow"]))
        .summary.contains("with one-time overrides"))
    #expect(state.pinsLeftBehind.contains { $0.build == "v1" })
    #expect(!state.pinsLeftBehind.contains { $0.build == "v3" })
    let rows = CompensationList.rows(
      of: state,
      identified: try world.open().executions(
        namedBy: #require(state.progress.identificationEvent)),
      frozen: [])
    let paymentRows = rows.filter { $0.workflowType == "PaymentWorkflow" }
    #expect(paymentRows.count == 2)
    #expect(paymentRows.allSatisfy { $0.pinnedTo == nil })
  }

  @Test("A one-time decision on a server older than 1.32 is refused before anything is sent for it")
  func aOneTimeDecisionOnAnOlderServerIsRefused() async throws {
    // Given PaymentWorkflow decided with one-time overrides, on a server that reports 1.31.2
    let world = try decidedOneTime()
    world.cluster.reportRelease("1.31.2")
    // When the runbook runs
    let stop = try await world.runner().run()
    // Then it stops before Payment's recovery, naming the release it needs and the one it found,
    // and no override batch was sent
    guard case .blocked(let reason) = stop else {
      Issue.record("expected a stop for the operator, got \(stop)")
      return
    }
    #expect(reason.contains("need Temporal server 1.32.0 or later"))
    #expect(reason.contains("reports '1.31.2'"))
    #expect(
      !world.cluster.changes.contains {
        if case .updateOptions = $0 { true } else { false }
      })
  }
}
