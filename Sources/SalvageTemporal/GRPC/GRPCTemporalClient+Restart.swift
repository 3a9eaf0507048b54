import Crypto
import Foundation
internal import GRPCCore
public import SalvageCore
internal import SwiftProtobuf

/// Terminate and restart (the runbook's fifth row): a run's first event read and digested, the
/// termination by run id, and the start again from that event's arguments.
extension GRPCTemporalClient {
  public func firstEvent(workflowID: String, runID: String) async throws -> FirstEvent {
    var request = Temporal_Api_Workflowservice_V1_GetWorkflowExecutionHistoryRequest()
    request.namespace = namespace
    request.execution.workflowID = workflowID
    request.execution.runID = runID
    request.maximumPageSize = 1
    let response = try await read("GetWorkflowExecutionHistory") {
      try await $0.getWorkflowExecutionHistory(request, metadata: $1, options: $2)
    }
    guard let event = response.history.events.first,
      case .workflowExecutionStartedEventAttributes(let started)? = event.attributes
    else {
      throw TemporalError.unexpectedResponse(
        call: "GetWorkflowExecutionHistory",
        reason: "\(workflowID) \(runID) has no WorkflowExecutionStarted event")
    }
    var options = BinaryEncodingOptions()
    options.useDeterministicOrdering = true
    let bytes: [UInt8] = try event.serializedBytes(options: options)
    let parent = started.parentWorkflowExecution
    return FirstEvent(
      workflowID: workflowID, runID: runID, workflowType: started.workflowType.name,
      taskQueue: started.taskQueue.name, digest: Self.hex(SHA256.hash(data: bytes)),
      parent: started.hasParentWorkflowExecution && !parent.workflowID.isEmpty
        ? "\(parent.workflowID)/\(parent.runID)" : nil,
      callbacks: started.completionCallbacks.count, encoded: bytes,
      startedBy: scrubber.scrub(started.identity.nonEmpty),
      startedAt: UTCTime(event.hasEventTime ? event.eventTime : nil),
      continuedFrom: started.continuedExecutionRunID.nonEmpty,
      continuedBy: Self.continuedBy(started.initiator))
  }

  /// What made a run that continues another: the workflow's continue-as-new, a retry, a cron run.
  static func continuedBy(_ initiator: Temporal_Api_Enums_V1_ContinueAsNewInitiator) -> String? {
    switch initiator {
    case .workflow: "continue-as-new"
    case .retry: "retry"
    case .cronSchedule: "cron"
    default: nil
    }
  }

  static func hex(_ digest: SHA256.Digest) -> String { Hex.lowercase(Array(digest)) }

  func terminate(_ workflowID: String, _ runID: String, context: ChangeContext) async throws {
    let request = terminateRequest(workflowID, runID, context: context)
    _ = try await change("TerminateWorkflowExecution") {
      try await $0.terminateWorkflowExecution(request, metadata: $1, options: $2)
    }
  }

  func startAgain(
    _ first: FirstEvent, pinTo version: WorkerDeploymentVersion, requestID: String,
    reuse: IDReusePolicy,
    context: ChangeContext
  ) async throws -> String {
    let request = try Self.startRequest(
      first, namespace: namespace, pinTo: version, requestID: requestID, reuse: reuse,
      context: context)
    let response = try await change("StartWorkflowExecution") {
      try await $0.startWorkflowExecution(request, metadata: $1, options: $2)
    }
    guard !response.runID.isEmpty else {
      throw TemporalError.unexpectedResponse(
        call: "StartWorkflowExecution", reason: "no run id in the answer")
    }
    return response.runID
  }

  func terminateRequest(_ workflowID: String, _ runID: String, context: ChangeContext)
    -> Temporal_Api_Workflowservice_V1_TerminateWorkflowExecutionRequest
  {
    var request = Temporal_Api_Workflowservice_V1_TerminateWorkflowExecutionRequest()
    request.namespace = namespace
    request.workflowExecution.workflowID = workflowID
    request.workflowExecution.runID = runID
    request.reason = context.reason
    request.identity = context.identity
    return request
  }

  /// The start of a run like `first`: what its `WorkflowExecutionStarted` event held (task queue,
  /// input, timeouts, retry policy, cron schedule, memo, search attributes, header, priority, user
  /// metadata), never its versioning override, inherited pin, completion callbacks, attempt or
  /// continued run; pinned to `version` by the request's Versioning Override. The conflict policy
  /// is FAIL: a running run under the id is never terminated or reused.
  static func startRequest(
    _ first: FirstEvent, namespace: String, pinTo version: WorkerDeploymentVersion,
    requestID: String,
    reuse: IDReusePolicy, context: ChangeContext
  ) throws -> Temporal_Api_Workflowservice_V1_StartWorkflowExecutionRequest {
    guard !version.buildID.isEmpty else {
      throw TemporalError.failed(
        call: "StartWorkflowExecution", code: "invalidArgument",
        message: "an empty build id means unversioned; refused")
    }
    let event = try Temporal_Api_History_V1_HistoryEvent(serializedBytes: first.encoded)
    let started = event.workflowExecutionStartedEventAttributes
    var request = Temporal_Api_Workflowservice_V1_StartWorkflowExecutionRequest()
    request.namespace = namespace
    request.workflowID = first.workflowID
    request.workflowType = started.workflowType
    request.taskQueue = started.taskQueue
    if started.hasInput { request.input = started.input }
    if started.hasWorkflowExecutionTimeout {
      request.workflowExecutionTimeout = started.workflowExecutionTimeout
    }
    if started.hasWorkflowRunTimeout { request.workflowRunTimeout = started.workflowRunTimeout }
    if started.hasWorkflowTaskTimeout { request.workflowTaskTimeout = started.workflowTaskTimeout }
    if started.hasRetryPolicy { request.retryPolicy = started.retryPolicy }
    request.cronSchedule = started.cronSchedule
    if started.hasMemo { request.memo = started.memo }
    if started.hasSearchAttributes { request.searchAttributes = started.searchAttributes }
    if started.hasHeader { request.header = started.header }
    if started.hasPriority { request.priority = started.priority }
    if event.hasUserMetadata { request.userMetadata = event.userMetadata }
    request.identity = context.identity
    request.requestID = requestID
    request.workflowIDReusePolicy =
      reuse == .allowDuplicate ? .allowDuplicate : .allowDuplicateFailedOnly
    request.workflowIDConflictPolicy = .fail
    request.versioningOverride = versioningOverride(version, context.overrides)
    return request
  }

  /// The start request as it is recorded: the payloads of the input, header, memo and user
  /// metadata (which may hold personal data or tokens) replaced by their size.
  static func recorded(
    _ request: Temporal_Api_Workflowservice_V1_StartWorkflowExecutionRequest, from first: FirstEvent
  ) -> Temporal_Api_Workflowservice_V1_StartWorkflowExecutionRequest {
    func redact(_ payload: inout Temporal_Api_Common_V1_Payload) {
      payload.data = Data(
        "(\(payload.data.count) bytes from the first event of run \(first.runID))".utf8)
    }
    var copy = request
    for index in copy.input.payloads.indices { redact(&copy.input.payloads[index]) }
    for key in copy.header.fields.keys { redact(&copy.header.fields[key, default: .init()]) }
    for key in copy.memo.fields.keys { redact(&copy.memo.fields[key, default: .init()]) }
    if copy.hasUserMetadata {
      if copy.userMetadata.hasSummary { redact(&copy.userMetadata.summary) }
      if copy.userMetadata.hasDetails { redact(&copy.userMetadata.details) }
    }
    return copy
  }
}
