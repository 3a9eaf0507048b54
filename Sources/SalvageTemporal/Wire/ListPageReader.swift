public import Foundation
public import SalvageCore

/// A `ListWorkflowExecutionsResponse` as identification uses it: its executions as summaries, and
/// the token of the next page (empty on the last).
public struct ListedPage: Sendable {
  public let executions: [WorkflowExecutionSummary]
  public let nextPageToken: Data
}

/// Reads a serialized `ListWorkflowExecutionsResponse` straight from the wire, decoding only the
/// fields a ``WorkflowExecutionSummary`` holds and skipping the rest in place:
///
/// - `executions` (1), each a `WorkflowExecutionInfo`: `execution` (1: `workflow_id` 1, `run_id` 2),
///   `type` (2: `name` 1), `start_time` (3) and `close_time` (4) (`seconds` 1, `nanos` 2), `status`
///   (5), and of `search_attributes` (11: `indexed_fields` 1) only the entries named in
///   ``ListedSearchAttributes/names``;
/// - `next_page_token` (2).
///
/// It gives what swift-protobuf's generated message gives through
/// `WorkflowExecutionSummary.init(_:)` (ListPageReaderTests compare the two on generated pages), and
/// reads as swift-protobuf does: the last of a repeated scalar wins, a repeated embedded message is
/// merged, a later map entry replaces an earlier one with its key, and a known field with another
/// wire type is an unknown field. Unlike it, it does not check that the strings it skips (other
/// fields, the names of other search attributes, metadata keys) are UTF-8, and a timestamp whose
/// milliseconds overflow is an error, not a trap. Repeated values are decoded once a page
/// (``ListedValueCache``). Identification lists hundreds of thousands of executions, and decoding
/// every one's memo and search-attribute payloads into generated messages was most of its time.
enum ListPageReader {
  static func read(_ buffer: UnsafeRawBufferPointer) throws(WireFormatError) -> ListedPage {
    var reader = WireReader(buffer)
    var executions: [WorkflowExecutionSummary] = []
    var token: Range<Int>?
    var cache = ListedValueCache()
    while !reader.isAtEnd {
      let (field, type) = try reader.tag()
      switch (field, type) {
      case (1, .lengthDelimited):
        var execution = try reader.message()
        executions.append(try Self.execution(&execution, &cache))
      case (2, .lengthDelimited): token = try reader.lengthDelimited()
      default: try reader.skip(type, field: field)
      }
    }
    return ListedPage(
      executions: executions, nextPageToken: token.map { Data(reader.bytes($0)) } ?? Data())
  }

  /// One `WorkflowExecutionInfo`.
  static func execution(_ reader: inout WireReader, _ cache: inout ListedValueCache)
    throws(WireFormatError) -> WorkflowExecutionSummary
  {
    var workflowID = ""
    var runID = ""
    var type = ""
    var status: Int32 = 0
    var start = ListedTimestamp()
    var close = ListedTimestamp()
    var attributes = ListedSearchAttributes()
    while !reader.isAtEnd {
      let (field, wire) = try reader.tag()
      switch (field, wire) {
      case (1, .lengthDelimited):
        var execution = try reader.message()
        while !execution.isAtEnd {
          let (field, wire) = try execution.tag()
          switch (field, wire) {
          case (1, .lengthDelimited): workflowID = try execution.string()
          case (2, .lengthDelimited): runID = try execution.string()
          default: try execution.skip(wire, field: field)
          }
        }
      case (2, .lengthDelimited):
        var workflowType = try reader.message()
        while !workflowType.isAtEnd {
          let (field, wire) = try workflowType.tag()
          if field == 1, wire == .lengthDelimited {
            type = try cache.typeName(&workflowType)
          } else {
            try workflowType.skip(wire, field: field)
          }
        }
      case (3, .lengthDelimited): try start.merge(&reader)
      case (4, .lengthDelimited): try close.merge(&reader)
      case (5, .varint): status = Int32(truncatingIfNeeded: try reader.varint())
      case (11, .lengthDelimited):
        var searchAttributes = try reader.message()
        try attributes.merge(&searchAttributes)
      default: try reader.skip(wire, field: field)
      }
    }
    return WorkflowExecutionSummary(
      workflowID: workflowID, runID: runID, type: type,
      status: Temporal_Api_Enums_V1_WorkflowExecutionStatus(rawValue: Int(status))
        .flatMap(ExecutionStatus.init),
      startTime: try start.time(), closeTime: try close.time(),
      searchAttributes: try cache.values(attributes, reader))
  }
}

/// A `google.protobuf.Timestamp` field of a listed execution, merged over its occurrences.
struct ListedTimestamp {
  private var present = false
  private var seconds: Int64 = 0
  private var nanos: Int32 = 0
  /// Where its last occurrence began.
  private var offset = 0

  /// Reads one occurrence of the field, whose tag `reader` just read.
  mutating func merge(_ reader: inout WireReader) throws(WireFormatError) {
    present = true
    offset = reader.fieldStart
    var timestamp = try reader.message()
    while !timestamp.isAtEnd {
      let (field, wire) = try timestamp.tag()
      switch (field, wire) {
      case (1, .varint): seconds = Int64(bitPattern: try timestamp.varint())
      case (2, .varint): nanos = Int32(truncatingIfNeeded: try timestamp.varint())
      default: try timestamp.skip(wire, field: field)
      }
    }
  }

  /// The time as ``UTCTime/init(_:)`` reads it: none when absent or zero, else to the millisecond.
  func time() throws(WireFormatError) -> UTCTime? {
    guard present, seconds != 0 || nanos != 0 else { return nil }
    let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
    let (sum, carry) = milliseconds.addingReportingOverflow(Int64(nanos / 1_000_000))
    guard !overflow, !carry else { throw WireFormatError(.timestampOutOfRange, at: offset) }
    return UTCTime(millisecondsSinceEpoch: sum)
  }
}
