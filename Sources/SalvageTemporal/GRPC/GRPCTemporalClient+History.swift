import Foundation
internal import GRPCCore
public import SalvageCore
internal import SwiftProtobuf

/// Reads of a run's history: where a reset goes, and who made a run by a reset.
extension GRPCTemporalClient {
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
}
