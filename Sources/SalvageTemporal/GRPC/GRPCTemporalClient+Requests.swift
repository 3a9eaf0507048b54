import Foundation
internal import GRPCCore
import SalvageCore
internal import SwiftProtobuf

/// The requests of each change, built from salvage's types.
extension GRPCTemporalClient {
  private func refuseUnversioned(_ build: String, _ call: String) throws {
    guard !build.isEmpty else {
      throw TemporalError.failed(
        call: call, code: "invalidArgument", message: "an empty build id means unversioned; refused"
      )
    }
  }

  func setCurrentRequest(_ version: WorkerDeploymentVersion, token: [UInt8], context: ChangeContext)
    throws
    -> Temporal_Api_Workflowservice_V1_SetWorkerDeploymentCurrentVersionRequest
  {
    try refuseUnversioned(version.buildID, "SetWorkerDeploymentCurrentVersion")
    var request = Temporal_Api_Workflowservice_V1_SetWorkerDeploymentCurrentVersionRequest()
    request.namespace = namespace
    request.deploymentName = version.deploymentName
    request.buildID = version.buildID
    request.conflictToken = Data(token)
    request.identity = context.deploymentIdentity
    return request
  }

  /// Ramps `build` to `percentage`; an empty build with 0 % removes the ramp (only there is an
  /// empty build id allowed).
  func rampRequest(
    _ deployment: String, build: String, _ percentage: Double, token: [UInt8],
    context: ChangeContext
  ) throws -> Temporal_Api_Workflowservice_V1_SetWorkerDeploymentRampingVersionRequest {
    if percentage != 0 { try refuseUnversioned(build, "SetWorkerDeploymentRampingVersion") }
    var request = Temporal_Api_Workflowservice_V1_SetWorkerDeploymentRampingVersionRequest()
    request.namespace = namespace
    request.deploymentName = deployment
    request.buildID = build
    request.percentage = Float(percentage)
    request.conflictToken = Data(token)
    request.identity = context.deploymentIdentity
    return request
  }

  /// Pinned to `version` through the Versioning Override, for batches and resets alike.
  /// (One-time when `kind` says so: see ``Self/versioningOverride(_:_:)``.)
  func pinnedOptions(_ version: WorkerDeploymentVersion, _ kind: OverrideKind)
    -> Temporal_Api_Workflow_V1_WorkflowExecutionOptions
  {
    var options = Temporal_Api_Workflow_V1_WorkflowExecutionOptions()
    options.versioningOverride = Self.versioningOverride(version, kind)
    return options
  }

  /// salvage's Versioning Override to `version`: pinned, or one-time (`one_time`, servers 1.32+:
  /// Workflow Tasks go there until one completes, then the server clears it).
  static func versioningOverride(_ version: WorkerDeploymentVersion, _ kind: OverrideKind)
    -> Temporal_Api_Workflow_V1_VersioningOverride
  {
    var override = Temporal_Api_Workflow_V1_VersioningOverride()
    switch kind {
    case .pinned:
      override.pinned.behavior = .pinned
      override.pinned.version = version.proto
    case .oneTime:
      override.oneTime.targetDeploymentVersion = version.proto
    }
    return override
  }

  static let versioningOverrideMask = Google_Protobuf_FieldMask(protoPaths: ["versioning_override"])

  /// Signals, Updates, Nexus callbacks and cancel requests are never reapplied: the CLI's "All",
  /// sent explicitly.
  static let excludeAll: [Temporal_Api_Enums_V1_ResetReapplyExcludeType] = [
    .signal, .update, .nexus, .cancelRequest,
  ]

  func postResetPin(_ version: WorkerDeploymentVersion, _ kind: OverrideKind)
    -> Temporal_Api_Workflow_V1_PostResetOperation
  {
    var operation = Temporal_Api_Workflow_V1_PostResetOperation()
    operation.updateWorkflowOptions.workflowExecutionOptions = pinnedOptions(version, kind)
    operation.updateWorkflowOptions.updateMask = Self.versioningOverrideMask
    return operation
  }

  func batchRequest(_ change: TemporalChange, context: ChangeContext) throws
    -> Temporal_Api_Workflowservice_V1_StartBatchOperationRequest
  {
    var request = Temporal_Api_Workflowservice_V1_StartBatchOperationRequest()
    request.namespace = namespace
    request.reason = context.reason
    switch change {
    case .updateOptions(let query, let version, let job):
      try refuseUnversioned(version.buildID, "StartBatchOperation")
      request.visibilityQuery = try Self.render(query)
      request.jobID = job.rawValue
      request.updateWorkflowOptionsOperation.identity = context.identity
      request.updateWorkflowOptionsOperation.workflowExecutionOptions = pinnedOptions(
        version, context.overrides)
      request.updateWorkflowOptionsOperation.updateMask = Self.versioningOverrideMask
    case .unpin(let query, _, let job):
      request.visibilityQuery = try Self.render(query)
      request.jobID = job.rawValue
      request.updateWorkflowOptionsOperation.identity = context.identity
      // The options present with no override, and the mask naming it: the override is removed. An
      // empty override is refused ("override behavior is required"), so it is never touched.
      request.updateWorkflowOptionsOperation.workflowExecutionOptions =
        Temporal_Api_Workflow_V1_WorkflowExecutionOptions()
      request.updateWorkflowOptionsOperation.updateMask = Self.versioningOverrideMask
    case .resetWithMove(let query, let target, let version, let job):
      try refuseUnversioned(version.buildID, "StartBatchOperation")
      request.visibilityQuery = try Self.render(query)
      request.jobID = job.rawValue
      request.resetOperation.identity = context.identity
      switch target {
      case .firstWorkflowTask:
        request.resetOperation.options.firstWorkflowTask = Google_Protobuf_Empty()
      case .lastWorkflowTask:
        request.resetOperation.options.lastWorkflowTask = Google_Protobuf_Empty()
      }
      request.resetOperation.options.resetReapplyExcludeTypes = Self.excludeAll
      request.resetOperation.postResetOperations = [postResetPin(version, context.overrides)]
    default:
      preconditionFailure("batchRequest is for batch changes only")
    }
    return request
  }

  func resetRequest(
    _ workflowID: String, _ runID: String, eventID: Int64, pinTo version: WorkerDeploymentVersion,
    requestID: String, context: ChangeContext
  ) throws -> Temporal_Api_Workflowservice_V1_ResetWorkflowExecutionRequest {
    try refuseUnversioned(version.buildID, "ResetWorkflowExecution")
    var request = Temporal_Api_Workflowservice_V1_ResetWorkflowExecutionRequest()
    request.namespace = namespace
    request.workflowExecution.workflowID = workflowID
    request.workflowExecution.runID = runID
    request.reason = context.reason
    request.workflowTaskFinishEventID = eventID
    request.requestID = requestID
    request.resetReapplyExcludeTypes = Self.excludeAll
    request.postResetOperations = [postResetPin(version, context.overrides)]
    request.identity = context.identity
    return request
  }

  /// Sets the deployment's manager identity to `to`, or unsets it when `nil`.
  func managerRequest(_ deployment: String, to: String?, token: [UInt8], context: ChangeContext)
    -> Temporal_Api_Workflowservice_V1_SetWorkerDeploymentManagerRequest
  {
    var request = Temporal_Api_Workflowservice_V1_SetWorkerDeploymentManagerRequest()
    request.namespace = namespace
    request.deploymentName = deployment
    request.managerIdentity = to ?? ""
    request.conflictToken = Data(token)
    request.identity = context.identity
    return request
  }

  func deleteRequest(_ version: WorkerDeploymentVersion, context: ChangeContext)
    -> Temporal_Api_Workflowservice_V1_DeleteWorkerDeploymentVersionRequest
  {
    var request = Temporal_Api_Workflowservice_V1_DeleteWorkerDeploymentVersionRequest()
    request.namespace = namespace
    request.deploymentVersion = version.proto
    request.identity = context.deploymentIdentity
    return request
  }
}
