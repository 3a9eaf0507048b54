import Foundation
import SalvageFakes
import SwiftProtobuf

@testable import SalvageTemporal

/// Random `ListWorkflowExecutionsResponse` pages, reproducible from a seed: every field salvage
/// reads, with empty, multi-byte UTF-8 and odd values, beside fields it does not read (known ones,
/// the memo and auto-reset points the generated subset leaves out, unknown ones of every wire type
/// and groups) at every level, fields repeated (scalars last-wins, messages merged, map entries
/// replaced), and map entries with the value before the key.
struct RandomListPages {
  var random: SeededGenerator
  /// Search attributes and type names sent before: executions listed together mostly repeat them.
  private var attributesSent: [WireBytes] = []
  private var typesSent: [String] = []

  init(seed: UInt64) {
    random = SeededGenerator(seed: seed)
  }

  /// A page of `count` executions, as the server would send it.
  mutating func page(executions count: Int) -> [UInt8] {
    var extra = WireBytes()
    if chance(0.3) { extra.append(unknownFields()) }
    let token: [UInt8]? =
      chance(0.5) ? (0..<Int.random(in: 0...40, using: &random)).map { _ in byte() } : nil
    let executions = (0..<count).map { _ in execution() }
    return WireBytes.page(executions: executions, token: token, extra: extra).bytes
  }

  /// One `WorkflowExecutionInfo`'s bytes: a few chunks of fields, shuffled, so repeats come in any
  /// order.
  mutating func execution() -> WireBytes {
    var chunks: [WireBytes] = []
    var info = Temporal_Api_Workflow_V1_WorkflowExecutionInfo()
    if chance(0.95) { info.execution.workflowID = text() }
    if chance(0.95) { info.execution.runID = chance(0.9) ? runID() : text() }
    if chance(0.95) { info.type.name = sentBefore(\.typesSent) { $0.text() } }
    if chance(0.9) { info.status = status() }
    if chance(0.8) { info.startTime = timestamp() }
    if chance(0.5) { info.closeTime = timestamp() }
    if chance(0.7) {
      info.taskQueue = text()
      info.historyLength = Int64.random(in: 0...100_000, using: &random)
      info.rootExecution = info.execution
      info.firstRunID = info.execution.runID
      info.workerDeploymentName = text()
      info.executionTime = timestamp()
      info.versioningInfo.behavior = .pinned
      info.versioningInfo.deploymentVersion.buildID = text()
    }
    chunks.append(WireBytes(info))
    for _ in 0..<Int.random(in: 0...2, using: &random) {
      chunks.append(sentBefore(\.attributesSent) { $0.searchAttributesField() })
    }
    if chance(0.3) { chunks.append(partialExecution()) }
    if chance(0.3) { chunks.append(memoAndResetPoints()) }
    if chance(0.3) { chunks.append(unknownFields()) }
    var bytes = WireBytes()
    for chunk in chunks.shuffled(using: &random) { bytes.append(chunk) }
    return bytes
  }

  /// Most often one of the last six values `make` made, else a new one.
  private mutating func sentBefore<Value>(
    _ sent: WritableKeyPath<RandomListPages, [Value]>, _ make: (inout RandomListPages) -> Value
  ) -> Value {
    let count = self[keyPath: sent].count
    if count > 0, chance(0.7) {
      return self[keyPath: sent][Int.random(in: 0..<count, using: &random)]
    }
    let value = make(&self)
    if count < 6 {
      self[keyPath: sent].append(value)
    } else {
      self[keyPath: sent][Int.random(in: 0..<count, using: &random)] = value
    }
    return value
  }

  /// Fields already set, sent again: the last scalar wins, the message merges.
  private mutating func partialExecution() -> WireBytes {
    var info = Temporal_Api_Workflow_V1_WorkflowExecutionInfo()
    switch Int.random(in: 0...4, using: &random) {
    case 0: info.execution.runID = text()
    case 1: info.status = status()
    case 2: info.startTime.nanos = Int32.random(in: 0...999_999_999, using: &random)
    case 3: info.type.name = text()
    default: info.closeTime = Google_Protobuf_Timestamp()
    }
    var bytes = WireBytes(info)
    // An embedded message with an unknown field inside it.
    if chance(0.5) {
      var execution = WireBytes()
      execution.lengthDelimited(2, text())
      execution.append(unknownFields())
      bytes.lengthDelimited(1, execution)
    }
    return bytes
  }

  /// A `search_attributes` field (11) with a few entries, salvage's names among others.
  private mutating func searchAttributesField() -> WireBytes {
    var attributes = WireBytes()
    for _ in 0..<Int.random(in: 0...6, using: &random) {
      var entry: [WireBytes] = []
      if chance(0.97) {
        var key = WireBytes()
        key.lengthDelimited(1, attributeName())
        entry.append(key)
      }
      for _ in 0..<(chance(0.9) ? 1 : Int.random(in: 0...2, using: &random)) {
        var value = WireBytes()
        value.lengthDelimited(2, payload())
        entry.append(value)
      }
      if chance(0.1) { entry.append(unknownFields()) }
      var body = WireBytes()
      for part in (chance(0.8) ? entry : entry.shuffled(using: &random)) { body.append(part) }
      attributes.lengthDelimited(1, body)
    }
    if chance(0.1) { attributes.append(unknownFields()) }
    var field = WireBytes()
    field.lengthDelimited(11, attributes)
    return field
  }

  private mutating func attributeName() -> String {
    let names =
      ListedSearchAttributes.names + [
        "TemporalWorkerDeployment", "BuildIds", "CustomKeywordField", "", "Temporal名前",
      ]
    return names.randomElement(using: &random) ?? ""
  }

  /// A `Payload`'s bytes: salvage's usual shapes, the ones only JSONDecoder reads, and ones
  /// nothing reads; encodings present, absent, empty and foreign.
  private mutating func payload() -> WireBytes {
    var payload = Temporal_Api_Common_V1_Payload()
    let data: [String] = [
      #""orders:bad""#, #""orders.v2""#, #""__unversioned__""#, #""Pinned""#,
      #"["category=WorkflowTaskFailed","cause=WorkflowTaskFailedCauseUnhandledFailure"]"#,
      #"["category=WorkflowTaskTimedOut"]"#, "[]", #""say \"hi\"""#, #""订单-ü-🚀""#,
      #"["e\u0301",1]"#, "true", "false", "null", "12.5", "-3e2", #"{"a":[1,false]}"#, "",
      "not json", #""unterminated"#, "1e400", "nan",
    ]
    if chance(0.1) {
      payload.data = Data([0x22, byte(), byte(), 0x22])
    } else if chance(0.2) {
      payload.data = Data(#""\#(text())""#.utf8)
    } else {
      payload.data = Data((data.randomElement(using: &random) ?? "").utf8)
    }
    switch Int.random(in: 0...9, using: &random) {
    case 0: break
    case 1: payload.metadata["encoding"] = Data("binary/plain".utf8)
    case 2: payload.metadata["encoding"] = Data()
    case 3: payload.metadata["type"] = Data("Keyword".utf8)
    default:
      payload.metadata["encoding"] = Data("json/plain".utf8)
      payload.metadata["type"] = Data("Keyword".utf8)
    }
    var bytes = WireBytes(payload)
    if chance(0.1) {
      // A metadata entry with only its key: "encoding" is then empty bytes.
      var entry = WireBytes()
      entry.lengthDelimited(1, chance(0.5) ? "encoding" : "other")
      bytes.lengthDelimited(1, entry)
    }
    if chance(0.1) { bytes.append(unknownFields()) }
    return bytes
  }

  /// The memo (10) and auto-reset points (12) a server sends and the generated subset leaves out.
  private mutating func memoAndResetPoints() -> WireBytes {
    var memo = WireBytes()
    var entry = WireBytes()
    entry.lengthDelimited(1, "order")
    entry.lengthDelimited(2, payload())
    memo.lengthDelimited(1, entry)
    var fields = WireBytes()
    fields.lengthDelimited(10, memo)
    var point = WireBytes()
    point.lengthDelimited(1, text())
    point.lengthDelimited(2, text())
    var points = WireBytes()
    points.lengthDelimited(1, point)
    fields.lengthDelimited(12, points)
    return fields
  }

  /// One to three fields of numbers no message here defines, of every wire type, groups nested.
  mutating func unknownFields() -> WireBytes {
    var fields = WireBytes()
    for _ in 0..<Int.random(in: 1...3, using: &random) {
      let numbers: [UInt32] = [100, 999, 4096, 536_870_911]
      let field = numbers.randomElement(using: &random) ?? 100
      switch Int.random(in: 0...4, using: &random) {
      case 0: fields.varint(field, random.next())
      case 1: fields.fixed64(field, random.next())
      case 2: fields.fixed32(field, UInt32(truncatingIfNeeded: random.next()))
      case 3: fields.lengthDelimited(field, text())
      default:
        var inner = WireBytes()
        inner.varint(1, 7)
        var nested = WireBytes()
        nested.lengthDelimited(2, "deep")
        inner.group(3, nested)
        fields.group(field, inner)
      }
    }
    return fields
  }

  private mutating func status() -> Temporal_Api_Enums_V1_WorkflowExecutionStatus {
    // 0 to 7 as defined, then ones no server sends (a negative one is a 10-byte varint).
    [0, 1, 2, 3, 4, 5, 6, 7, 1, 1, 42, -1].randomElement(using: &random)
      .flatMap(Temporal_Api_Enums_V1_WorkflowExecutionStatus.init(rawValue:)) ?? .running
  }

  /// Within protobuf's Timestamp range (years 1 to 9999), zero among them.
  private mutating func timestamp() -> Google_Protobuf_Timestamp {
    var timestamp = Google_Protobuf_Timestamp()
    if chance(0.1) { return timestamp }
    timestamp.seconds = Int64.random(in: -62_135_596_800...253_402_300_799, using: &random)
    if chance(0.7) {
      timestamp.seconds = Int64.random(in: 1_700_000_000...1_900_000_000, using: &random)
    }
    if chance(0.7) { timestamp.nanos = Int32.random(in: 0...999_999_999, using: &random) }
    return timestamp
  }

  /// Empty, ASCII, multi-byte UTF-8 (two, three and four bytes, combining marks), or long.
  mutating func text() -> String {
    let pieces = [
      "order", "-", "42", "ü", "订单", "🚀", "e\u{301}", " ", "\t", "payment_Workflow", "é", "ß",
    ]
    let count = chance(0.05) ? 200 : Int.random(in: 0...6, using: &random)
    return (0..<count).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
  }

  /// A run id as the server makes them (a UUID's text), from the seed.
  private mutating func runID() -> String {
    let (high, low) = (random.next(), random.next())
    return String(
      format: "%08llx-%04llx-%04llx-%04llx-%012llx", high >> 32, (high >> 16) & 0xFFFF,
      high & 0xFFFF, low >> 48, low & 0xFFFF_FFFF_FFFF)
  }

  private mutating func byte() -> UInt8 { UInt8.random(in: 0...255, using: &random) }

  private mutating func chance(_ probability: Double) -> Bool {
    Double.random(in: 0..<1, using: &random) < probability
  }
}
