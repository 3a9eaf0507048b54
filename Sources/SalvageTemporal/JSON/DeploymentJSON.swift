import SalvageCore

/// `worker deployment describe -o json` (keys spell `BuildID` with a capital ID).
struct DeploymentJSON: Decodable {
  let description: DeploymentDescription

  private enum Keys: String, CodingKey { case name, routingConfig, versionSummaries }
  private enum RoutingKeys: String, CodingKey {
    case currentVersionBuildID, rampingVersionBuildID, rampingVersionPercentage
  }
  private enum SummaryKeys: String, CodingKey { case BuildID, buildId, drainageStatus }

  init(from decoder: any Decoder) throws {
    let root = try decoder.container(keyedBy: Keys.self)
    let routing = try root.nestedContainer(keyedBy: RoutingKeys.self, forKey: .routingConfig)
    var versions: [DeploymentDescription.VersionSummary] = []
    if var summaries = try? root.nestedUnkeyedContainer(forKey: .versionSummaries) {
      while !summaries.isAtEnd {
        let summary = try summaries.nestedContainer(keyedBy: SummaryKeys.self)
        let build = summary.nonEmpty(.BuildID) ?? summary.nonEmpty(.buildId) ?? ""
        versions.append(
          .init(
            buildID: build,
            drainage: DrainageStatus(serverValue: summary.nonEmpty(.drainageStatus) ?? "")))
      }
    }
    description = DeploymentDescription(
      name: try root.decode(String.self, forKey: .name),
      currentBuildID: routing.nonEmpty(.currentVersionBuildID),
      rampingBuildID: routing.nonEmpty(.rampingVersionBuildID),
      rampPercentage: routing.number(.rampingVersionPercentage),
      versions: versions)
  }
}

/// `worker deployment describe-version -o json` (`drainageStatus` is `""` when unspecified).
struct VersionJSON: Decodable {
  let description: VersionDescription

  private enum Keys: String, CodingKey {
    case deploymentName, BuildID, buildId, drainageInfo, rampPercentage, currentSinceTime,
      rampingSinceTime, taskQueuesInfos
  }
  private enum DrainageKeys: String, CodingKey { case drainageStatus, lastChangedTime, lastCheckedTime }
  private struct TaskQueueJSON: Decodable {
    let name: String
    let type: String?
  }

  init(from decoder: any Decoder) throws {
    let root = try decoder.container(keyedBy: Keys.self)
    let drainage = try? root.nestedContainer(keyedBy: DrainageKeys.self, forKey: .drainageInfo)
    let queues = (try? root.decodeIfPresent([TaskQueueJSON].self, forKey: .taskQueuesInfos)) ?? nil
    description = VersionDescription(
      version: WorkerDeploymentVersion(
        deploymentName: try root.decode(String.self, forKey: .deploymentName),
        buildID: root.nonEmpty(.BuildID) ?? root.nonEmpty(.buildId) ?? ""),
      drainage: DrainageStatus(serverValue: drainage?.nonEmpty(.drainageStatus) ?? ""),
      drainageChangedAt: drainage?.time(.lastChangedTime),
      drainageCheckedAt: drainage?.time(.lastCheckedTime),
      rampPercentage: root.number(.rampPercentage),
      currentSince: root.time(.currentSinceTime),
      rampingSince: root.time(.rampingSinceTime),
      taskQueues: (queues ?? []).map { .init(name: $0.name, type: $0.type ?? "workflow") })
  }
}

/// `task-queue describe --legacy-mode -o json`: the only form that lists pollers with their
/// deployment version, in protobuf's snake_case.
struct LegacyTaskQueueJSON: Decodable {
  struct PollerJSON: Decodable {
    struct Stamp: Decodable {
      let seconds: Int64?
      let nanos: Int64?
    }
    struct Options: Decodable {
      let deployment_name: String?
      let build_id: String?
    }
    let identity: String?
    let last_access_time: Stamp?
    let deployment_options: Options?
  }

  let pollers: [PollerJSON]?

  func pollers(taskQueue: String) -> [Poller] {
    (pollers ?? []).map { poller in
      let version = poller.deployment_options.flatMap { options -> WorkerDeploymentVersion? in
        guard let name = options.deployment_name, let build = options.build_id, !name.isEmpty else {
          return nil
        }
        return WorkerDeploymentVersion(deploymentName: name, buildID: build)
      }
      let access = poller.last_access_time.map {
        UTCTime(millisecondsSinceEpoch: ($0.seconds ?? 0) * 1000 + ($0.nanos ?? 0) / 1_000_000)
      }
      return Poller(
        identity: poller.identity ?? "?", taskQueue: taskQueue, version: version, lastAccess: access)
    }
  }
}
