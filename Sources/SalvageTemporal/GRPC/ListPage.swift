public import Foundation
public import SalvageCore
internal import SwiftProtobuf

/// A `ListWorkflowExecutionsResponse` page as the server sends it on the wire, read the way
/// ``GRPCTemporalClient/list(_:_:)`` reads each page: for the ingest benchmark, which times the
/// identify path without a server holding hundreds of thousands of executions.
public enum ListPage {
  /// The executions of one serialized page, in order.
  public static func summaries(_ bytes: Data) throws -> [WorkflowExecutionSummary] {
    let page = try Temporal_Api_Workflowservice_V1_ListWorkflowExecutionsResponse(
      serializedBytes: bytes)
    return page.executions.map(WorkflowExecutionSummary.init)
  }
}
