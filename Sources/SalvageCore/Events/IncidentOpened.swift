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
  /// The open incidents on the same deployment and bad build it was opened beside (`open --force`);
  /// `nil` when there were none. Optional, so incidents opened before it still read back.
  public let forcedBeside: [String]?

  /// Creates the payload; callers validate the names first (``TemporalNames``).
  public init(
    deployment: String, badBuild: String, goodBuild: String, namespace: String, title: String,
    operatorName: String, forcedBeside: [String]? = nil
  ) {
    self.deployment = deployment
    self.badBuild = badBuild
    self.goodBuild = goodBuild
    self.namespace = namespace
    self.title = title
    self.operatorName = operatorName
    self.forcedBeside = forcedBeside
  }

  /// The same opening, recorded as forced beside these open incidents.
  public func forced(beside incidents: [String]) -> IncidentOpened {
    IncidentOpened(
      deployment: deployment, badBuild: badBuild, goodBuild: goodBuild, namespace: namespace,
      title: title,
      operatorName: operatorName, forcedBeside: incidents.isEmpty ? nil : incidents)
  }

  enum CodingKeys: String, CodingKey {
    case deployment, badBuild, goodBuild, namespace, title, forcedBeside
    case operatorName = "operator"
  }
}
