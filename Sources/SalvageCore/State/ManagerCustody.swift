/// salvage's custody of a Worker Deployment that a controller manages (its `manager_identity`).
///
/// Told by the rollout observations alone: once one shows the deployment managed as
/// ``identity(for:)`` after an earlier one showed another holder, salvage holds it for the
/// incident and `salvage close` must hand it back to that holder (``ManagerReturned``).
public struct ManagerCustody: Codable, Equatable, Sendable {
  /// The identity the deployment was managed by before salvage took it.
  public let previous: String
  /// Set once `salvage close` handed it back.
  public internal(set) var returned: ManagerReturned?

  /// The one identity salvage manages a deployment as for `incident`: the same for every run and
  /// every operator of the incident, so a take-over or the next shift keeps it.
  public static func identity(for incident: IncidentID) -> String {
    "salvage/\(incident.rawValue)"
  }

  /// Whether salvage still holds the deployment.
  public var isHeld: Bool { returned == nil }
}

/// salvage handed the deployment's `manager_identity` back to its previous holder at close; the
/// controller re-applies its own target from then on.
public struct ManagerReturned: EventPayload {
  public static let typeName = "ManagerReturned"
  public static let schemaVersion = 1

  public let deployment: String
  /// The identity the deployment is managed by again.
  public let to: String

  public init(deployment: String, to: String) {
    self.deployment = deployment
    self.to = to
  }
}
