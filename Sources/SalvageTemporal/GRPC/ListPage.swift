public import Foundation
public import SalvageCore

/// A `ListWorkflowExecutionsResponse` page as the server sends it on the wire, read the way
/// ``GRPCTemporalClient/list(_:_:)`` reads each page (``ListPageReader``): for the ingest benchmark,
/// which times the identify path without a server holding hundreds of thousands of executions.
public enum ListPage {
  /// The executions of one serialized page, in order.
  public static func summaries(_ bytes: Data) throws(WireFormatError) -> [WorkflowExecutionSummary]
  {
    try read(bytes).executions
  }

  /// One serialized page: its executions and the next page's token.
  public static func read(_ bytes: Data) throws(WireFormatError) -> ListedPage {
    try bytes.withUnsafeBytes { buffer in
      Result { () throws(WireFormatError) in try ListPageReader.read(buffer) }
    }.get()
  }
}
