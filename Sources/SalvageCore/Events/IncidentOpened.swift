/// An operator opened an incident about a bad rollout of one Worker Deployment.
public struct IncidentOpened: EventPayload {
  public static let typeName = "IncidentOpened"
  public static let schemaVersion = 1

  /// The Worker Deployment whose rollout went bad.
  public let deployment: String
  /// The faulty build id: Workflows pinned to it are the ones to recover.
  public let badBuild: String
  /// The previous good build id: where rollout stops and restartable Workflows go back to.
  public let goodBuild: String
  /// The Temporal namespace.
  public let namespace: String
  /// A one-line human title for the incident.
  public let title: String
  /// Who opened it.
  public let operatorName: String

  /// Creates the payload; callers validate the names first (``TemporalNames``).
  public init(
    deployment: String, badBuild: String, goodBuild: String, namespace: String, title: String,
    operatorName: String
  ) {
    self.deployment = deployment
    self.badBuild = badBuild
    self.goodBuild = goodBuild
    self.namespace = namespace
    self.title = title
    self.operatorName = operatorName
  }

  enum CodingKeys: String, CodingKey {
    case deployment, badBuild, goodBuild, namespace, title
    case operatorName = "operator"
  }
}
