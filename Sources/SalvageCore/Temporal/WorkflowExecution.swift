/// A Workflow Execution's status, named as visibility queries name it.
public enum ExecutionStatus: String, Codable, Sendable, CaseIterable {
  case running = "Running"
  case completed = "Completed"
  case failed = "Failed"
  case canceled = "Canceled"
  case terminated = "Terminated"
  case continuedAsNew = "ContinuedAsNew"
  case timedOut = "TimedOut"

  /// Reads `WORKFLOW_EXECUTION_STATUS_TIMED_OUT` and the like.
  public init?(protoName: String) {
    let map: [String: ExecutionStatus] = [
      "WORKFLOW_EXECUTION_STATUS_RUNNING": .running,
      "WORKFLOW_EXECUTION_STATUS_COMPLETED": .completed,
      "WORKFLOW_EXECUTION_STATUS_FAILED": .failed,
      "WORKFLOW_EXECUTION_STATUS_CANCELED": .canceled,
      "WORKFLOW_EXECUTION_STATUS_TERMINATED": .terminated,
      "WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW": .continuedAsNew,
      "WORKFLOW_EXECUTION_STATUS_TIMED_OUT": .timedOut,
    ]
    guard let status = map[protoName] ?? ExecutionStatus(rawValue: protoName) else { return nil }
    self = status
  }

  /// Closed statuses.
  public var isClosed: Bool { self != .running }
}

/// One element of `temporal workflow list`, with its search attributes decoded.
public struct WorkflowExecutionSummary: Equatable, Sendable {
  public let workflowID: String
  public let runID: String
  public let type: String
  public let status: ExecutionStatus?
  public let startTime: UTCTime?
  public let closeTime: UTCTime?
  /// `TemporalWorkerDeploymentVersion`: the version the run is pinned to, if any.
  public let deploymentVersion: WorkerDeploymentVersion?
  /// `TemporalWorkflowVersioningBehavior`, such as `Pinned`.
  public let versioningBehavior: String?
  /// `TemporalReportedProblems`, such as `category=WorkflowTaskFailed`.
  public let reportedProblems: [String]
  /// The search attributes the adapter decoded (those salvage reads).
  public let searchAttributes: [String: SearchAttributeValue]
  /// Memo fields (the CLI prints them decoded).
  public let memo: [String: SearchAttributeValue]

  public init(
    workflowID: String, runID: String, type: String, status: ExecutionStatus?, startTime: UTCTime?,
    closeTime: UTCTime?, searchAttributes: [String: SearchAttributeValue],
    memo: [String: SearchAttributeValue] = [:]
  ) {
    self.workflowID = workflowID
    self.runID = runID
    self.type = type
    self.status = status
    self.startTime = startTime
    self.closeTime = closeTime
    self.searchAttributes = searchAttributes
    self.memo = memo
    deploymentVersion = searchAttributes["TemporalWorkerDeploymentVersion"]?.string
      .flatMap(WorkerDeploymentVersion.init(visibilityValue:))
    versioningBehavior = searchAttributes["TemporalWorkflowVersioningBehavior"]?.string
    reportedProblems = searchAttributes["TemporalReportedProblems"]?.strings ?? []
  }
}

/// A decoded search attribute or memo value.
public indirect enum SearchAttributeValue: Equatable, Sendable {
  case string(String)
  case number(Double)
  case bool(Bool)
  case list([SearchAttributeValue])
  case object([String: SearchAttributeValue])
  case null

  /// The value when it is a single string.
  public var string: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// The value as strings: a keyword list, or one string.
  public var strings: [String]? {
    switch self {
    case .string(let value): [value]
    case .list(let values): values.compactMap(\.string)
    default: nil
    }
  }

  /// The value when it is a number.
  public var number: Double? {
    if case .number(let value) = self { return value }
    return nil
  }
}

/// `temporal workflow describe`: versioning and reset evidence.
public struct WorkflowDescription: Equatable, Sendable {
  public let workflowID: String
  public let runID: String
  public let type: String
  public let status: ExecutionStatus?
  /// The behavior the worker of its last completed Workflow Task reported; `nil` when unversioned.
  public let versioningBehavior: VersioningBehavior?
  /// The run's own version: the one its last Workflow Task completed on (the server's
  /// `versioning_info.deployment_version`). A Versioning Override routes it elsewhere meanwhile:
  /// see ``effectiveVersion``.
  public let deploymentVersion: WorkerDeploymentVersion?
  /// The Versioning Override's pinned version, when one is set.
  public let overrideVersion: WorkerDeploymentVersion?
  /// Set on a run that was reset: the run the latest reset created.
  public let resetRunID: String?
  /// The attempt of the pending Workflow Task, when one is pending.
  public let pendingTaskAttempt: Int?
  /// The request ids the run has seen (`request_id_infos`): its start's among them, which is how a
  /// restart finds the run it started.
  public let requestIDs: Set<String>
  /// When the run closed, as the server reports it.
  public let closeTime: UTCTime?
  /// The target of a one-time Versioning Override not yet used up (no Workflow Task has completed
  /// there since it was set), when one is set.
  public let oneTimeTarget: WorkerDeploymentVersion?

  public init(
    workflowID: String, runID: String, type: String, status: ExecutionStatus?,
    versioningBehavior: VersioningBehavior?, deploymentVersion: WorkerDeploymentVersion?,
    overrideVersion: WorkerDeploymentVersion?, resetRunID: String?, pendingTaskAttempt: Int?,
    requestIDs: Set<String> = [], closeTime: UTCTime? = nil,
    oneTimeTarget: WorkerDeploymentVersion? = nil
  ) {
    self.oneTimeTarget = oneTimeTarget
    self.requestIDs = requestIDs
    self.closeTime = closeTime
    self.workflowID = workflowID
    self.runID = runID
    self.type = type
    self.status = status
    self.versioningBehavior = versioningBehavior
    self.deploymentVersion = deploymentVersion
    self.overrideVersion = overrideVersion
    self.resetRunID = resetRunID
    self.pendingTaskAttempt = pendingTaskAttempt
  }

  /// The version the run's tasks go to now: a pending one-time override's target, else a pinned
  /// override's version, else its own (what the `TemporalWorkerDeploymentVersion` search
  /// attribute shows once visibility has caught up).
  public var effectiveVersion: WorkerDeploymentVersion? {
    oneTimeTarget ?? overrideVersion ?? deploymentVersion
  }
}
