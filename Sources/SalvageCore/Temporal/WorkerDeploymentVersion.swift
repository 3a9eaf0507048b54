/// One Worker Deployment Version: a deployment name and a build id.
public struct WorkerDeploymentVersion: Hashable, Codable, Sendable, CustomStringConvertible {
  public let deploymentName: String
  public let buildID: String

  /// Creates a version.
  public init(deploymentName: String, buildID: String) {
    self.deploymentName = deploymentName
    self.buildID = buildID
  }

  /// The form visibility uses: `deployment:build` (`TemporalWorkerDeploymentVersion`).
  public var visibilityValue: String { "\(deploymentName):\(buildID)" }

  /// Parses `deployment:build`; deployment names cannot hold `:`, build ids can.
  public init?(visibilityValue: String) {
    // At the first ':' byte, as the server cuts it (Go's strings.Cut): no grapheme breaking, which
    // identification paid for every listed run.
    let text = visibilityValue.utf8
    guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { return nil }
    let name = String(Substring(text[..<colon]))
    let build = String(Substring(text[text.index(after: colon)...]))
    guard !name.isEmpty, !build.isEmpty else { return nil }
    self.init(deploymentName: name, buildID: build)
  }

  public var description: String { visibilityValue }
}

/// How a version is draining, as the server reports it. Coded as its ``name``, a string.
public enum DrainageStatus: Equatable, Sendable, Codable {
  /// Current, ramping, or never routed (`""` in describe-version, `"unspecified"` in describe).
  case unspecified
  /// No longer receives new Workflows, but Running ones are still pinned to it.
  case draining
  /// Nothing Running is pinned to it any more.
  case drained
  /// A value this salvage does not know.
  case other(String)

  /// The name salvage records: `unspecified`, `draining`, `drained`, or the server's own text.
  public var name: String {
    switch self {
    case .unspecified: "unspecified"
    case .draining: "draining"
    case .drained: "drained"
    case .other(let text): text
    }
  }

  /// The status salvage recorded under `name` (``name`` read back exactly, so a journal's text
  /// is written again as it was).
  public init(name: String) {
    switch name {
    case "unspecified": self = .unspecified
    case "draining": self = .draining
    case "drained": self = .drained
    default: self = .other(name)
    }
  }

  /// Reads either spelling the server uses.
  public init(serverValue: String) {
    switch serverValue.lowercased() {
    case "", "unspecified", "version_drainage_status_unspecified": self = .unspecified
    case "draining", "version_drainage_status_draining": self = .draining
    case "drained", "version_drainage_status_drained": self = .drained
    default: self = .other(serverValue)
    }
  }
}

extension DrainageStatus {
  public init(from decoder: any Decoder) throws {
    self.init(name: try decoder.singleValueContainer().decode(String.self))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(name)
  }
}

/// `temporal worker deployment describe`: routing and the versions.
public struct DeploymentDescription: Equatable, Sendable {
  /// One version in the deployment.
  public struct VersionSummary: Equatable, Sendable {
    public let buildID: String
    public let drainage: DrainageStatus
    public init(buildID: String, drainage: DrainageStatus) {
      self.buildID = buildID
      self.drainage = drainage
    }
  }

  public let name: String
  /// The Current Version's build id; `nil` when unversioned or never set.
  public let currentBuildID: String?
  /// The Ramping Version's build id; `nil` when nothing ramps. A 0 % ramp still ramps.
  public let rampingBuildID: String?
  public let rampPercentage: Double
  public let versions: [VersionSummary]
  /// Who alone may change the deployment (a worker controller, say); `nil` when anyone may.
  public let managerIdentity: String?

  public init(
    name: String, currentBuildID: String?, rampingBuildID: String?, rampPercentage: Double,
    versions: [VersionSummary], managerIdentity: String? = nil
  ) {
    self.name = name
    self.managerIdentity = managerIdentity
    self.currentBuildID = currentBuildID
    self.rampingBuildID = rampingBuildID
    self.rampPercentage = rampPercentage
    self.versions = versions
  }
}

/// `temporal worker deployment describe-version`: drainage and task queues.
public struct VersionDescription: Equatable, Sendable {
  /// A task queue the version's workers poll.
  public struct TaskQueue: Equatable, Sendable {
    public let name: String
    public let type: String
    public init(name: String, type: String) {
      self.name = name
      self.type = type
    }
  }

  public let version: WorkerDeploymentVersion
  public let drainage: DrainageStatus
  /// When drainage last changed; `nil` before it ever did.
  public let drainageChangedAt: UTCTime?
  /// When the server last checked drainage; `nil` before it ever did.
  public let drainageCheckedAt: UTCTime?
  public let rampPercentage: Double
  public let currentSince: UTCTime?
  public let rampingSince: UTCTime?
  public let taskQueues: [TaskQueue]

  public init(
    version: WorkerDeploymentVersion, drainage: DrainageStatus, drainageChangedAt: UTCTime?,
    drainageCheckedAt: UTCTime?, rampPercentage: Double, currentSince: UTCTime?,
    rampingSince: UTCTime?, taskQueues: [TaskQueue]
  ) {
    self.version = version
    self.drainage = drainage
    self.drainageChangedAt = drainageChangedAt
    self.drainageCheckedAt = drainageCheckedAt
    self.rampPercentage = rampPercentage
    self.currentSince = currentSince
    self.rampingSince = rampingSince
    self.taskQueues = taskQueues
  }
}

/// A worker polling one of a version's task queues.
public struct Poller: Equatable, Sendable {
  public let identity: String
  public let taskQueue: String
  public let version: WorkerDeploymentVersion?
  public let lastAccess: UTCTime?

  public init(
    identity: String, taskQueue: String, version: WorkerDeploymentVersion?, lastAccess: UTCTime?
  ) {
    self.identity = identity
    self.taskQueue = taskQueue
    self.version = version
    self.lastAccess = lastAccess
  }
}
