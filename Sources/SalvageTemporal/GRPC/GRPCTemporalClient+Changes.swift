import Foundation
internal import GRPCCore
public import SalvageCore
internal import SwiftProtobuf

extension GRPCTemporalClient {
  public func intent(of change: TemporalChange, context: ChangeContext) throws -> ChangeIntent {
    let request: any SwiftProtobuf.Message
    switch change {
    case .setCurrentVersion(let version, _):
      request = try setCurrentRequest(version, token: [], context: context)
    case .setRampingVersion(let version, let percentage, _):
      request = try rampRequest(
        version.deploymentName, build: version.buildID, percentage, token: [], context: context)
    case .removeRamp(let deployment, _):
      request = try rampRequest(deployment, build: "", 0, token: [], context: context)
    case .setManager(let deployment, let to, _):
      request = managerRequest(deployment, to: to, token: [], context: context)
    case .updateOptions, .resetWithMove, .unpin:
      request = try batchRequest(change, context: context)
    case .resetRun(let workflowID, let runID, let version, let requestID):
      request = try resetRequest(
        workflowID, runID, eventID: 0, pinTo: version, requestID: requestID, context: context)
    case .deleteVersion(let version): request = deleteRequest(version, context: context)
    case .terminateRun(let workflowID, let runID):
      request = terminateRequest(workflowID, runID, context: context)
    case .startAgain(let first, let version, let requestID, let reuse):
      request = Self.recorded(
        try Self.startRequest(
          first, namespace: namespace, pinTo: version, requestID: requestID, reuse: reuse,
          context: context),
        from: first)
    }
    var options = JSONEncodingOptions()
    options.preserveProtoFieldNames = true
    return ChangeIntent(
      command: try commandLine.command(for: change, context: context),
      request: scrubber.scrub((try? request.jsonString(options: options)) ?? "{}"))
  }

  public func perform(_ change: TemporalChange, context: ChangeContext) async throws -> ChangeResult
  {
    switch change {
    case .setCurrentVersion(let version, _):
      let state = try await changeable(version.deploymentName, for: change, context: context)
      let request = try setCurrentRequest(version, token: state.conflictToken, context: context)
      _ = try await self.change("SetWorkerDeploymentCurrentVersion") {
        try await $0.setWorkerDeploymentCurrentVersion(request, metadata: $1, options: $2)
      }
      return .routed(try await awaitRoutingUpdate(version.deploymentName))
    case .setRampingVersion(let version, let percentage, _):
      let state = try await changeable(version.deploymentName, for: change, context: context)
      let request = try rampRequest(
        version.deploymentName, build: version.buildID, percentage, token: state.conflictToken,
        context: context)
      _ = try await self.change("SetWorkerDeploymentRampingVersion") {
        try await $0.setWorkerDeploymentRampingVersion(request, metadata: $1, options: $2)
      }
      return .routed(try await awaitRoutingUpdate(version.deploymentName))
    case .removeRamp(let deployment, _):
      let state = try await changeable(deployment, for: change, context: context)
      let request = try rampRequest(
        deployment, build: "", 0, token: state.conflictToken, context: context)
      _ = try await self.change("SetWorkerDeploymentRampingVersion") {
        try await $0.setWorkerDeploymentRampingVersion(request, metadata: $1, options: $2)
      }
      return .routed(try await awaitRoutingUpdate(deployment))
    case .setManager(let deployment, let to, _):
      // Anyone may set the manager: sent only while it is still the one observed.
      let state = try await deploymentState(deployment)
      if state.managerIdentity == to { return .done }  // already set: a retry after a lost answer
      try change.checkRouting(against: state.description)
      let request = managerRequest(deployment, to: to, token: state.conflictToken, context: context)
      _ = try await self.change("SetWorkerDeploymentManager") {
        try await $0.setWorkerDeploymentManager(request, metadata: $1, options: $2)
      }
    case .updateOptions, .resetWithMove, .unpin:
      let request = try batchRequest(change, context: context)
      _ = try await self.change("StartBatchOperation") {
        try await $0.startBatchOperation(request, metadata: $1, options: $2)
      }
      return .batch(BatchJobID(rawValue: request.jobID), alreadyStarted: false)
    case .resetRun(let workflowID, let runID, let version, let requestID):
      let eventID = try await firstWorkflowTaskEventID(workflowID, runID)
      let request = try resetRequest(
        workflowID, runID, eventID: eventID, pinTo: version, requestID: requestID, context: context)
      let response = try await self.change(
        "ResetWorkflowExecution", deadline: timeouts.perRunReset
      ) {
        try await $0.resetWorkflowExecution(request, metadata: $1, options: $2)
      }
      return .reset(newRunID: response.runID)
    case .deleteVersion(let version):
      let request = deleteRequest(version, context: context)
      do {
        _ = try await self.change("DeleteWorkerDeploymentVersion") {
          try await $0.deleteWorkerDeploymentVersion(request, metadata: $1, options: $2)
        }
      } catch TemporalError.versionNotFound {
        return .done  // already gone: deleting it is done
      }
    case .terminateRun(let workflowID, let runID):
      try await terminate(workflowID, runID, context: context)
    case .startAgain(let first, let version, let requestID, let reuse):
      return .started(
        newRunID: try await startAgain(
          first, pinTo: version, requestID: requestID, reuse: reuse, context: context))
    }
    return .done
  }

  /// Describes the deployment before changing it, for its conflict token; refuses a deployment
  /// that another identity manages, and one that no longer routes as the observation `change` was
  /// decided on (the token then keeps anyone else's change after this describe safe too).
  private func changeable(_ deployment: String, for change: TemporalChange, context: ChangeContext)
    async throws -> DeploymentState
  {
    let state = try await deploymentState(deployment)
    if let manager = state.managerIdentity, manager != context.deploymentIdentity {
      throw TemporalError.managedBy(deployment: deployment, identity: scrubber.scrub(manager))
    }
    try change.checkRouting(against: state.description)
    return state
  }

  /// Waits (a few seconds at most) until the routing change has reached every task queue, and
  /// returns the deployment as the describe that saw it (the last one when the wait ran out).
  ///
  /// That describe is the run's observation after the change (the runner records it with the
  /// change's outcome). For a few seconds after a routing update completes, server 1.32 answers
  /// each describe of the deployment in about 1 s (apparently its 1 s throttle retry of the query
  /// to the busy deployment workflow), so a second describe right after this one cost the stop
  /// step about a second.
  private func awaitRoutingUpdate(_ deployment: String) async throws -> DeploymentDescription {
    var state = try await deploymentState(deployment)
    for _ in 1..<50 where !state.routingUpdateCompleted {
      try await Task.sleep(for: .milliseconds(100))
      state = try await deploymentState(deployment)
    }
    return state.description
  }

  /// The event to reset a run to (`GetWorkflowExecutionHistory`): its first completed Workflow Task, or, when none completed,
  /// the first one started (as the CLI's `--type FirstWorkflowTask` picks it).
  public func firstWorkflowTaskEventID(_ workflowID: String, _ runID: String) async throws -> Int64
  {
    var request = Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryRequest()
    request.namespace = namespace
    request.execution.workflowID = workflowID
    request.execution.runID = runID
    request.maximumPageSize = 32
    var started: Int64 = 0
    repeat {
      let page = request
      let response = try await read("GetWorkflowExecutionHistory") {
        try await $0.getWorkflowExecutionHistory(page, metadata: $1, options: $2)
      }
      for event in response.history.events {
        if event.eventType == .workflowTaskCompleted { return event.eventID }
        if event.eventType == .workflowTaskScheduled, started == 0 { started = event.eventID + 1 }
      }
      request.nextPageToken = response.nextPageToken
    } while !request.nextPageToken.isEmpty
    guard started > 0 else {
      throw TemporalError.unexpectedResponse(
        call: "GetWorkflowExecutionHistory",
        reason: "\(workflowID) \(runID) has no Workflow Task to reset to")
    }
    return started
  }

  /// Who made run `newRunID` by a reset: its history's failed Workflow Task with cause
  /// `RESET_WORKFLOW` (within its first pages; a reset's comes right after the events it kept)
  /// names the identity that asked, carries the reason as the failure's message, and has the time.
  public func resetOrigin(workflowID: String, newRunID: String) async throws -> ResetOrigin? {
    var request = Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryRequest()
    request.namespace = namespace
    request.execution.workflowID = workflowID
    request.execution.runID = newRunID
    request.maximumPageSize = 256
    for _ in 0..<8 {
      let page = request
      let response = try await read("GetWorkflowExecutionHistory") {
        try await $0.getWorkflowExecutionHistory(page, metadata: $1, options: $2)
      }
      for event in response.history.events where event.eventType == .workflowTaskFailed {
        let failed = event.workflowTaskFailedEventAttributes
        guard failed.cause == .resetWorkflow else { continue }
        // The server writes its own name as the identity (history-service), not the requester's.
        let identity = failed.identity == "history-service" ? nil : failed.identity.nonEmpty
        return ResetOrigin(
          identity: scrubber.scrub(identity),
          reason: scrubber.scrub(failed.failure.message.nonEmpty),
          at: UTCTime(event.hasEventTime ? event.eventTime : nil))
      }
      request.nextPageToken = response.nextPageToken
      if request.nextPageToken.isEmpty { break }
    }
    return nil
  }

  // MARK: - Requests

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
