import SalvageCore
import SalvageTemporal
import SalvageTestSupport

extension Scenario {
  /// A client for this scenario's server that ignores any user config, as tests must.
  var client: ProcessTemporalClient {
    var connection = TemporalConnection(executable: temporal, address: address, namespace: "default")
    connection.isolated = true
    return ProcessTemporalClient(connection: connection)
  }

  func version(_ build: String) -> WorkerDeploymentVersion {
    WorkerDeploymentVersion(deploymentName: deployment, buildID: settings["build_\(build)"] ?? build)
  }
}

/// The runbook's query for Running executions pinned to `version` with reported task problems.
func stuckQuery(_ version: WorkerDeploymentVersion, type: String? = nil) -> VisibilityQuery {
  var clauses: [VisibilityQuery] = [
    .equals(.workerDeploymentVersion, version.visibilityValue), .equals(.executionStatus, "Running"),
    .isIn(.reportedProblems, ["category=WorkflowTaskFailed", "category=WorkflowTaskTimedOut"]),
  ]
  if let type { clauses.append(.equals(.workflowType, type)) }
  return .all(clauses)
}
