/// salvage's custody of a Worker Deployment that a controller manages (its `manager_identity`).
///
/// It begins with the intent of the claim (the holder it replaces is the one the claim was decided
/// on), so a run that dies between the claim and the describe that would show it still leaves
/// `salvage close` something to hand back; it is confirmed once a describe shows the deployment
/// managed as ``identity(for:)``, and dropped when the claim is known never to have been sent.
/// `salvage close` hands it back to that holder (``ManagerReturned``), after a describe shows
/// whether salvage manages the deployment at all.
public struct ManagerCustody: Codable, Equatable, Sendable {
  /// The identity the deployment was managed by before salvage took it.
  public let previous: String
  /// Whether a describe has shown the deployment managed as salvage's identity.
  public internal(set) var confirmed = false
  /// Set once `salvage close` handed it back.
  public internal(set) var returned: ManagerReturned?

  /// The one identity salvage manages a deployment as for `incident`: the same for every run and
  /// every operator of the incident, so a take-over or the next shift keeps it.
  public static func identity(for incident: IncidentID) -> String {
    "salvage/\(incident.rawValue)"
  }

  /// Whether salvage still holds the deployment (or may: a claim in doubt counts).
  public var isHeld: Bool { returned == nil }

  public init(previous: String, confirmed: Bool = false) {
    self.previous = previous
    self.confirmed = confirmed
  }

  /// The subject of a claim's action (`stop-manager-N`).
  public static let claimSubject = "manager"
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
