internal import SalvageCore

/// A described Worker Deployment with what changing it needs.
struct DeploymentState: Sendable {
  let description: DeploymentDescription
  /// Passed back with every change: a mismatch means someone changed routing in between.
  let conflictToken: [UInt8]
  /// Set when a controller manages the deployment: changes from any other identity fail.
  let managerIdentity: String?
  /// Whether the latest routing change has reached every task queue.
  let routingUpdateCompleted: Bool

  /// `scrub` cleans the manager identity the description (and so the journal) gets: a foreign
  /// identity is server text like any other.
  init(
    _ response: Temporal_Api_Workflowservice_V1_DescribeWorkerDeploymentResponse, name: String,
    scrub: (String) -> String
  ) {
    let info = response.workerDeploymentInfo
    let routing = info.routingConfig
    func build(_ version: Temporal_Api_Deployment_V1_WorkerDeploymentVersion, _ legacy: String)
      -> String?
    {
      if !version.buildID.isEmpty { return version.buildID }
      return WorkerDeploymentVersion(legacy: legacy)?.buildID
    }
    description = DeploymentDescription(
      name: info.name.isEmpty ? name : info.name,
      currentBuildID: build(routing.currentDeploymentVersion, routing.currentVersion),
      rampingBuildID: build(routing.rampingDeploymentVersion, routing.rampingVersion),
      rampPercentage: Double(routing.rampingVersionPercentage),
      versions: info.versionSummaries.map { summary in
        DeploymentDescription.VersionSummary(
          buildID: build(summary.deploymentVersion, summary.version) ?? "",
          drainage: DrainageStatus(
            summary.hasDrainageInfo ? summary.drainageInfo.status : summary.drainageStatus))
      }, managerIdentity: info.managerIdentity.nonEmpty.map(scrub))
    conflictToken = Array(response.conflictToken)
    managerIdentity = info.managerIdentity.nonEmpty
    routingUpdateCompleted = info.routingConfigUpdateState != .inProgress
  }
}
