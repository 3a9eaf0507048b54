import SalvageCore
import Testing

@testable import SalvageCLI

extension RunNotificationsTests {
  @Test(
    "A stop for a deployment's controller names the command that claims it, as the stop itself does"
  )
  func aStopForADeploymentsControllerNamesTheCommandThatClaimsIt() {
    // Given a run with --yes blocked because a controller manages the deployment
    let blocked = RunbookRunner.StopReason.blocked(
      "Worker Deployment orders is managed by 'ctrl' (its manager_identity): only it may change "
        + "the deployment. Fix the controller's own target first (it re-applies it once it "
        + "manages the deployment again), then run 'salvage run --claim-manager': salvage takes "
        + "the manager identity for the incident (recorded) and 'salvage close' hands it back to "
        + "'ctrl'")
    // When its end is told
    let message = notifications().concluded(
      RunConclusion(blocked, incident: Self.incident), elapsed: 5)
    // Then the command to run claims the manager identity, as the stop's own message says
    #expect(message.kind == .humanNeeded)
    #expect(message.command == "salvage run --incident inc-1 --claim-manager")
  }

  @Test("A declined change's command keeps the claim of the manager that --yes alone turns off")
  func aDeclinedChangesCommandKeepsTheClaimOfTheManager() {
    // Given a run on a terminal (the claim implied) where a change was not confirmed
    let conclusion = RunConclusion(.declined(["temporal", "x"]), incident: Self.incident)
    // When its end is told
    let message = notifications().concluded(conclusion, elapsed: 5)
    // Then running again with --yes also claims the manager, as the first run would have
    #expect(message.command == "salvage run --incident inc-1 --yes --claim-manager")
  }
}
