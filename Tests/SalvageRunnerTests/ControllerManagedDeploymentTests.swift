import SalvageCore
import SalvageFakes
import Testing

/// A deployment a worker controller manages (its `manager_identity`): only the manager may change
/// it, so salvage takes the manager identity for the incident when the operator lets it, and
/// hands it back at close.
@Suite struct ControllerManagedDeploymentTests {
  static let own = "salvage/orders-1"

  @Test("A deployment a controller manages is left alone without the operator's leave, saying how")
  func aDeploymentAControllerManagesIsLeftAloneWithoutTheOperatorsLeaveSayingHow() async throws {
    // Given a bad rollout of v2 on a deployment the controller 'k8s-controller' manages
    let world = try RunbookInProcess()
    world.cluster.manage(as: "k8s-controller")
    // When salvage runs the incident without leave to take the manager identity
    let outcome = try await world.runner().run()
    // Then it stops before any change, naming the controller and the way to go on
    guard case .blocked(let reason) = outcome else {
      Issue.record("expected a blocked run, got \(outcome)")
      return
    }
    #expect(reason.contains("managed by 'k8s-controller'"))
    #expect(reason.contains("salvage run --claim-manager"))
    #expect(world.cluster.changes.isEmpty)
    #expect(world.cluster.routing.current == "v2")
    #expect(world.cluster.manager == "k8s-controller")
    #expect(try world.state?.progress.manager == nil)
  }

  @Test("With leave, salvage takes the manager identity, recovers, and close hands it back")
  func withLeaveSalvageTakesTheManagerIdentityRecoversAndCloseHandsItBack() async throws {
    // Given the same rollout on a deployment 'k8s-controller' manages
    let world = try RunbookInProcess()
    world.cluster.manage(as: "k8s-controller")
    // When salvage runs the incident with leave to take the manager identity
    let outcome = try await world.runner(claimManager: true).run()
    // Then it took the manager identity once, as the incident's own, before stopping the rollout,
    // and finished the runbook as that manager
    #expect(outcome == .finished)
    let managerChanges = world.cluster.changes.filter(\.setsManager)
    #expect(managerChanges.count == 1)
    #expect(world.cluster.changes.first?.setsManager == true)
    #expect(world.cluster.manager == Self.own)
    #expect(world.cluster.routing.current == "v1")
    #expect(world.cluster.deletions.count == 1)
    // And the journal holds the custody, with the controller it came from
    let custody = try #require(try world.state?.progress.manager)
    #expect(custody.previous == "k8s-controller")
    #expect(custody.isHeld)
    // When the incident is closed, the manager identity is handed back
    let returned = try await ManagerHandBack(
      incident: world.incident, deployment: "orders", custody: custody
    ).perform(on: world.cluster)
    // Then the controller manages the deployment again
    #expect(returned == ManagerReturned(deployment: "orders", to: "k8s-controller"))
    #expect(world.cluster.manager == "k8s-controller")
    #expect(ManagerHandBack.told(returned).contains("re-applies its own target"))
  }

  @Test("A run killed right after the claim keeps the custody, and the next run finishes")
  func aRunKilledRightAfterTheClaimKeepsTheCustodyAndTheNextRunFinishes() async throws {
    // Given a deployment 'k8s-controller' manages, and a run killed after the claim's call
    // returned and before its outcome was journaled
    let world = try RunbookInProcess()
    world.cluster.manage(as: "k8s-controller")
    await #expect(throws: CrashSwitch.Crashed.self) {
      try await world.runner(crashAt: (.afterCall, "stop-manager-1"), claimManager: true).run()
    }
    #expect(world.cluster.manager == Self.own)
    // And the journal already holds the custody, unconfirmed, with the controller it came from:
    // a close now would hand it back
    #expect(try world.state?.progress.manager == ManagerCustody(previous: "k8s-controller"))
    // When the next run goes on (with leave again)
    let outcome = try await world.runner(claimManager: true).run()
    // Then it finished without claiming again, and the custody still names the controller
    #expect(outcome == .finished)
    #expect(world.cluster.changes.filter(\.setsManager).count == 1)
    #expect(try world.state?.progress.manager?.previous == "k8s-controller")
    // And a close killed after handing back, then closed again, hands back once and says who
    // manages it
    let custody = try #require(try world.state?.progress.manager)
    let handBack = ManagerHandBack(incident: world.incident, deployment: "orders", custody: custody)
    _ = try await handBack.perform(on: world.cluster)
    let again = try await handBack.perform(on: world.cluster)
    #expect(again.to == "k8s-controller")
    #expect(world.cluster.changes.filter(\.setsManager).count == 2)
  }

  @Test("A controller's deployment already routed back is claimed only to delete the bad version")
  func aControllersDeploymentAlreadyRoutedBackIsClaimedOnlyToDeleteTheBadVersion() async throws {
    // Given a controller 'k8s-controller' that manages the deployment and has already routed it
    // back to v1, as salvage's own message asks the operator to make it do
    let world = try RunbookInProcess()
    world.cluster.manage(as: "k8s-controller")
    _ = try await world.cluster.perform(
      .setCurrentVersion(
        WorkerDeploymentVersion(deploymentName: "orders", buildID: "v1"),
        replacing: RolloutObserved(
          currentBuild: "v2", rampingBuild: nil, rampPercentage: 0,
          managerIdentity: "k8s-controller")),
      context: ChangeContext(identity: "k8s-controller", reason: "controller"))
    // When salvage runs the incident with leave to take the manager identity
    let outcome = try await world.runner(claimManager: true).run()
    // Then it recovered and reset everything without the manager identity, claimed it once, just
    // before the delete, and deleted v2 as its manager
    #expect(outcome == .finished)
    let kinds = world.cluster.changes.map(\.kind)
    #expect(kinds.filter { $0 == "setManager" }.count == 1)
    #expect(Array(kinds.suffix(2)) == ["setManager", "deleteVersion"])
    #expect(world.cluster.deletions.count == 1)
    #expect(try world.state?.progress.manager?.previous == "k8s-controller")
  }

  @Test("A controller that takes the deployment back mid-incident is not overruled")
  func aControllerThatTakesTheDeploymentBackMidIncidentIsNotOverruled() async throws {
    // Given salvage took the manager identity and stopped the rollout, then the controller took
    // the deployment back by hand
    let world = try RunbookInProcess()
    world.cluster.manage(as: "k8s-controller")
    _ = try await world.runner(claimManager: true).run(until: .stopped)
    world.cluster.manage(as: "k8s-controller")
    let custody = try #require(try world.state?.progress.manager)
    // When the incident is closed
    let returned = try await ManagerHandBack(
      incident: world.incident, deployment: "orders", custody: custody
    ).perform(on: world.cluster)
    // Then nothing is sent: the journal learns who manages it now
    #expect(returned.to == "k8s-controller")
    #expect(world.cluster.changes.filter(\.setsManager).count == 1)
  }
}

extension TemporalChange {
  /// The change's kind, by its case name.
  fileprivate var kind: String {
    String(describing: self).prefix { $0 != "(" }.description
  }

  /// A change of the deployment's manager identity.
  fileprivate var setsManager: Bool {
    if case .setManager = self { true } else { false }
  }
}
