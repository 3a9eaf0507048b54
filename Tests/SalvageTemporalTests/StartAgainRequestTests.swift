import Foundation
import SalvageCore
import SwiftProtobuf
import Testing

@testable import SalvageTemporal

/// The start of a restart, built from the old run's first event: what it carries over, what it
/// never does, and what of it is recorded.
@Suite struct StartAgainRequestTests {
  /// A first event with everything a start may carry and everything it must not.
  static func firstEvent() throws -> FirstEvent {
    var event = Temporal_Api_History_V1_HistoryEvent()
    event.eventID = 1
    event.eventType = .workflowExecutionStarted
    event.userMetadata.summary.data = Data("nightly report".utf8)
    var started = Temporal_Api_History_V1_WorkflowExecutionStartedEventAttributes()
    started.workflowType.name = "ReportWorkflow"
    started.taskQueue.name = "reports"
    var payload = Temporal_Api_Common_V1_Payload()
    payload.metadata["encoding"] = Data("json/plain".utf8)
    payload.data = Data("\"customer-42\"".utf8)
    started.input.payloads = [payload]
    started.workflowRunTimeout = .init(seconds: 600)
    started.retryPolicy.maximumAttempts = 3
    started.cronSchedule = "0 3 * * *"
    started.memo.fields["owner"] = payload
    started.header.fields["auth"] = payload
    started.searchAttributes.indexedFields["Region"] = payload
    started.priority.priorityKey = 2
    started.attempt = 4
    started.continuedExecutionRunID = "run-before"
    started.versioningOverride.pinned.behavior = .pinned
    started.versioningOverride.pinned.version.buildID = "v2"
    started.inheritedPinnedVersion.buildID = "v2"
    started.completionCallbacks = [Temporal_Api_Common_V1_Callback()]
    event.workflowExecutionStartedEventAttributes = started
    return FirstEvent(
      workflowID: "report-1", runID: "run-1", workflowType: "ReportWorkflow", taskQueue: "reports",
      digest: "d",
      parent: nil, callbacks: 0, encoded: try event.serializedBytes())
  }

  static let good = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v1")
  static let context = ChangeContext(
    identity: "salvage/inc-1/recover-ReportWorkflow-1", reason: "restart")

  @Test func theStartCarriesTheFirstEventsArgumentsAndIsPinnedToTheTarget() throws {
    // Given a first event, when its start again is built
    let request = try GRPCTemporalClient.startRequest(
      try Self.firstEvent(), namespace: "default", pinTo: Self.good,
      requestID: "salvage/inc-1/restart/run-1",
      reuse: .allowDuplicateFailedOnly, context: Self.context)
    // Then it carries what the event held
    #expect(request.workflowID == "report-1")
    #expect(request.workflowType.name == "ReportWorkflow")
    #expect(request.taskQueue.name == "reports")
    #expect(request.input.payloads.first?.data == Data("\"customer-42\"".utf8))
    #expect(request.workflowRunTimeout.seconds == 600)
    #expect(request.retryPolicy.maximumAttempts == 3)
    #expect(request.cronSchedule == "0 3 * * *")
    #expect(request.memo.fields.keys.sorted() == ["owner"])
    #expect(request.header.fields.keys.sorted() == ["auth"])
    #expect(request.searchAttributes.indexedFields.keys.sorted() == ["Region"])
    #expect(request.priority.priorityKey == 2)
    #expect(request.userMetadata.summary.data == Data("nightly report".utf8))
    // And it is exactly once and never replaces a running run, pinned to the good build by its own override
    #expect(request.requestID == "salvage/inc-1/restart/run-1")
    #expect(request.workflowIDReusePolicy == .allowDuplicateFailedOnly)
    #expect(request.workflowIDConflictPolicy == .fail)
    #expect(request.versioningOverride.pinned.behavior == .pinned)
    #expect(request.versioningOverride.pinned.version.buildID == "v1")
    #expect(request.identity == Self.context.identity)
    // And nothing of the old run's versioning, callbacks or chain comes along
    #expect(request.completionCallbacks.isEmpty)
    #expect(!request.hasOnConflictOptions)
  }

  @Test func aCompletedTargetMayFollowAnyClosedRunAndNoOtherPolicyIsEverSent() {
    #expect(IDReusePolicy.restarting(.completed) == .allowDuplicate)
    for status in [ExecutionStatus.failed, .timedOut, .terminated, .canceled] {
      #expect(IDReusePolicy.restarting(status) == .allowDuplicateFailedOnly)
    }
  }

  @Test func theRecordedStartHoldsNoPayloadOfTheInputHeaderMemoOrMetadata() throws {
    // Given the start request, when it is recorded
    let request = try GRPCTemporalClient.startRequest(
      try Self.firstEvent(), namespace: "default", pinTo: Self.good, requestID: "r",
      reuse: .allowDuplicate,
      context: Self.context)
    let recorded = GRPCTemporalClient.recorded(request, from: try Self.firstEvent())
    let json = try recorded.jsonString()
    // Then no payload's bytes are in it, in plain text or base64, only their size
    for secret in ["customer-42", "nightly report"] {
      #expect(!json.contains(secret))
      #expect(!json.contains(Data(secret.utf8).base64EncodedString()))
    }
    #expect(
      recorded.input.payloads.first?.data
        == Data("(13 bytes from the first event of run run-1)".utf8))
    #expect(
      recorded.header.fields["auth"]?.data
        == Data("(13 bytes from the first event of run run-1)".utf8))
    // And the request sent still holds them
    #expect(request.input.payloads.first?.data == Data("\"customer-42\"".utf8))
  }

  @Test func aChildOrANexusStartedRunIsRefusedByName() {
    func first(parent: String?, callbacks: Int) -> FirstEvent {
      FirstEvent(
        workflowID: "w", runID: "r", workflowType: "T", taskQueue: "q", digest: "d", parent: parent,
        callbacks: callbacks, encoded: [])
    }
    #expect(first(parent: nil, callbacks: 0).refusal == nil)
    #expect(
      first(parent: "p/1", callbacks: 0).refusal
        == "it is a child of p/1: a restart would cut it off from its parent")
    #expect(
      first(parent: nil, callbacks: 2).refusal?.hasPrefix(
        "it was started by a Nexus operation (2 completion callbacks)") == true)
  }
}
