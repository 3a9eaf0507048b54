import SalvageCore
import SalvageFakes
import Testing

/// The runbook's rule for a deployment a controller manages, and the custody the fold tells from
/// the rollout observations alone.
@Suite struct ManagerCustodyTests {
  @Test("A bad rollout on a deployment a controller manages is claimed before it is stopped")
  func aBadRolloutOnADeploymentAControllerManagesIsClaimedBeforeItIsStopped() {
    // Given an incident whose deployment routes to the bad build v2 and is managed by a controller
    var history = RunbookHistory()
    history.observe(current: "v2", manager: "k8s-controller")
    // When the runbook is asked what comes next
    // Then it claims the manager identity first, and holds no custody yet
    #expect(history.next == .claimManager(from: "k8s-controller"))
    #expect(history.next.step == nil)
    #expect(history.state.progress.manager == nil)
    // When the claim's intent is recorded, before anything shows whether it took effect
    history.act(.stop, subject: "manager", outcome: nil)
    // Then the custody already names the controller, unconfirmed: a close would look and hand back
    #expect(history.state.progress.manager == ManagerCustody(previous: "k8s-controller"))
    // When the claim succeeds and a re-describe shows the incident's own identity managing it
    history.record(.actionSucceeded(ActionSucceeded(action: "stop-manager-1")))
    #expect(history.next == .observeRollout)
    history.observe(current: "v2", manager: ManagerCustody.identity(for: history.state.incident))
    // Then the custody is confirmed, and the stop comes next
    #expect(
      history.state.progress.manager == ManagerCustody(previous: "k8s-controller", confirmed: true))
    #expect(history.state.progress.manager?.isHeld == true)
    #expect(history.next == .setCurrentToGood)
  }

  @Test("A claim that failed before it was sent leaves no custody")
  func aClaimThatFailedBeforeItWasSentLeavesNoCustody() {
    // Given a claim decided on the controller 'k8s-controller' managing the deployment
    var history = RunbookHistory()
    history.observe(current: "v2", manager: "k8s-controller")
    // When it fails unsent (the deployment changed since it was observed)
    history.act(
      .stop, subject: "manager",
      outcome: .actionFailed(ActionFailed(action: "stop-manager-1", message: "not sent")))
    // Then salvage holds nothing (the run records the routing it found and decides again)
    #expect(history.state.progress.manager == nil)
    #expect(history.next == .claimManager(from: "k8s-controller"))
  }

  @Test(
    "A controller's deployment that no longer routes to the bad build is not claimed to stop it")
  func aControllersDeploymentThatNoLongerRoutesToTheBadBuildIsNotClaimedToStopIt() {
    // Given a deployment a controller manages that already routes back to the good build
    var history = RunbookHistory()
    history.observe(current: "v1", manager: "k8s-controller")
    // When the runbook is asked what comes next
    // Then nothing is claimed: the rollout is stopped, identification comes next
    #expect(history.state.phase == .stopped)
    #expect(history.next == .identify)
    #expect(history.state.progress.manager == nil)
  }

  @Test("The custody ends when the manager identity is handed back")
  func theCustodyEndsWhenTheManagerIdentityIsHandedBack() {
    // Given a custody taken from a controller
    var history = RunbookHistory()
    history.observe(current: "v2", manager: "k8s-controller")
    history.act(.stop, subject: "manager")
    history.observe(current: "v2", manager: ManagerCustody.identity(for: history.state.incident))
    // When the hand-back is recorded
    history.record(.managerReturned(ManagerReturned(deployment: "orders", to: "k8s-controller")))
    // Then the custody says it is no longer held, and to whom it went
    #expect(history.state.progress.manager?.isHeld == false)
    #expect(history.state.progress.manager?.returned?.to == "k8s-controller")
  }
}
