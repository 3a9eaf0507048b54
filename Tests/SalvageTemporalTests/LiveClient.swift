import SalvageCore
import SalvageFakes
import SalvageTemporal
import Synchronization

/// The runbook's query for Running executions pinned to `version` with reported task problems.
func stuckQuery(_ version: WorkerDeploymentVersion, type: String? = nil) -> VisibilityQuery {
  var clauses: [VisibilityQuery] = [
    .equals(.workerDeploymentVersion, version.visibilityValue),
    .equals(.executionStatus, "Running"),
    .isIn(.reportedProblems, ["category=WorkflowTaskFailed", "category=WorkflowTaskTimedOut"]),
  ]
  if let type { clauses.append(.equals(.workflowType, type)) }
  return .all(clauses)
}
