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
}
