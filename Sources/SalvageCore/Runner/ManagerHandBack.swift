/// Hands a deployment's manager identity back to the controller salvage took it from, at close.
///
/// Repeatable: sent only while salvage still manages the deployment (the change carries that
/// observation), so a close that died after the hand-back, or a controller that took the
/// deployment back meanwhile, records who manages it now and sends nothing.
public struct ManagerHandBack: Sendable {
  public let incident: IncidentID
  public let deployment: String
  public let custody: ManagerCustody

  public init(incident: IncidentID, deployment: String, custody: ManagerCustody) {
    self.incident = incident
    self.deployment = deployment
    self.custody = custody
  }

  /// Hands it back on `temporal`, and says who manages the deployment after it.
  public func perform(on temporal: any TemporalClient) async throws -> ManagerReturned {
    let described = try await temporal.describeDeployment(deployment)
    let own = ManagerCustody.identity(for: incident)
    guard described.managerIdentity == own else {
      return ManagerReturned(deployment: deployment, to: described.managerIdentity ?? "")
    }
    _ = try await temporal.perform(
      .setManager(
        deployment: deployment, to: custody.previous, replacing: RolloutObserved(described)),
      context: ChangeContext(
        identity: "\(own)/close",
        reason:
          "salvage \(incident): hand the manager identity back to \(custody.previous) at close",
        manager: own))
    return ManagerReturned(deployment: deployment, to: custody.previous)
  }

  /// What the operator must hear once it is handed back.
  public static func told(_ returned: ManagerReturned) -> String {
    guard !returned.to.isEmpty else {
      return "Nobody manages \(returned.deployment) now: someone unset its manager identity."
    }
    return "Handed the manager identity of \(returned.deployment) back to '\(returned.to)': it "
      + "re-applies its own target from now on, so that target must already be the fixed build."
  }
}
