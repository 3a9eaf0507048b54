import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// A deployment a worker controller manages, on a real dev server: a second identity plays the
/// controller by setting the deployment's manager identity to itself.
@Suite(.tags(.integration), .serialized) struct ControllerManagedIntegrationTests {
  @Test("A controller's deployment is claimed with leave, kept through a crash, and handed back")
  func aControllersDeploymentIsClaimedWithLeaveKeptThroughACrashAndHandedBack() async throws {
    // Given a bad rollout whose deployment the controller 'k8s-controller' manages
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, failed: 1)
    try await scenario.manage(as: "k8s-controller")
    let incident = try await RunbookIncident(scenario)
    // When salvage runs without leave to take the manager identity
    let refused = try await incident.salvage(["run", "--yes"])
    // Then it stops (exit 11) naming the controller and how to go on, and changed nothing
    #expect(refused.status == 11, "\(refused.stderr)")
    #expect(refused.stderr.contains("managed by 'k8s-controller'"))
    #expect(refused.stderr.contains("salvage run --claim-manager"))
    var deployment = try await incident.client.describeDeployment("orders")
    #expect(deployment.currentBuildID == "bad")
    #expect(deployment.managerIdentity == "k8s-controller")
    // When a run with leave is killed right after the claim's answer, before its outcome is
    // journaled
    let killed = try await incident.salvage(
      ["run", "--yes", "--claim-manager"],
      environment: ["SALVAGE_TEST_CRASH_AT": "after-call:stop-manager-1"])
    #expect(killed.status != 0)
    deployment = try await incident.client.describeDeployment("orders")
    #expect(deployment.managerIdentity == "salvage/inc-1")
    // And the next run goes on to the stop
    let stopped = try await incident.salvage([
      "run", "--yes", "--claim-manager", "--until", "stopped",
    ])
    // Then the rollout is stopped as the incident's own manager identity, claimed once
    #expect(stopped.status == 0, "\(stopped.stderr)")
    deployment = try await incident.client.describeDeployment("orders")
    #expect(deployment.currentBuildID == "good")
    #expect(deployment.managerIdentity == "salvage/inc-1")
    let status = try await incident.fixture.salvage("status").stdout
    #expect(status.contains("taken from 'k8s-controller'; close hands it back"))
    // When the incident is closed
    let closed = try await incident.salvage(["close", "--reason", "controller target fixed"])
    // Then the controller manages the deployment again, and the operator is told what that means
    #expect(closed.status == 0, "\(closed.stderr)")
    #expect(closed.stdout.contains("back to 'k8s-controller'"))
    #expect(closed.stdout.contains("re-applies its own target"))
    deployment = try await incident.client.describeDeployment("orders")
    #expect(deployment.managerIdentity == "k8s-controller")
    let log = try await incident.fixture.salvage("log", "--incident", "inc-1").stdout
    let lines = log.split(separator: "\n").map(String.init)
    #expect(
      lines.suffix(2).first?.contains("manager identity of orders handed back to 'k8s-controller'")
        == true, "\(log)")
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }
}
