import Foundation
internal import SalvageCore
internal import SwiftProtobuf

// Generated API types stay in this target: these turn them into the core's domain types.

extension UTCTime {
  init?(_ timestamp: Google_Protobuf_Timestamp?) {
    guard let timestamp, timestamp.seconds != 0 || timestamp.nanos != 0 else { return nil }
    self.init(millisecondsSinceEpoch: timestamp.seconds * 1000 + Int64(timestamp.nanos / 1_000_000))
  }
}

extension WorkerDeploymentVersion {
  init?(_ proto: Temporal_Api_Deployment_V1_WorkerDeploymentVersion, legacy: String = "") {
    if !proto.buildID.isEmpty, !proto.deploymentName.isEmpty {
      self.init(deploymentName: proto.deploymentName, buildID: proto.buildID)
    } else if let parsed = WorkerDeploymentVersion(legacy: legacy) {
      self = parsed
    } else {
      return nil
    }
  }

  /// The deprecated string form servers still fill: `deployment.build` (older `deployment:build`),
  /// `__unversioned__` for none. Deployment names hold neither `.` nor `:`.
  init?(legacy: String) {
    guard legacy != "__unversioned__",
      let separator = legacy.firstIndex(where: { $0 == "." || $0 == ":" })
    else {
      return nil
    }
    let name = String(legacy[..<separator])
    let build = String(legacy[legacy.index(after: separator)...])
    guard !name.isEmpty, !build.isEmpty else { return nil }
    self.init(deploymentName: name, buildID: build)
  }

  var proto: Temporal_Api_Deployment_V1_WorkerDeploymentVersion {
    var version = Temporal_Api_Deployment_V1_WorkerDeploymentVersion()
    version.deploymentName = deploymentName
    version.buildID = buildID
    return version
  }
}

extension DrainageStatus {
  init(_ proto: Temporal_Api_Enums_V1_VersionDrainageStatus) {
    switch proto {
    case .unspecified: self = .unspecified
    case .draining: self = .draining
    case .drained: self = .drained
    case .UNRECOGNIZED(let value): self = .other("VERSION_DRAINAGE_STATUS_\(value)")
    }
  }
}

extension ExecutionStatus {
  init?(_ proto: Temporal_Api_Enums_V1_WorkflowExecutionStatus) {
    switch proto {
    case .running: self = .running
    case .completed: self = .completed
    case .failed: self = .failed
    case .canceled: self = .canceled
    case .terminated: self = .terminated
    case .continuedAsNew: self = .continuedAsNew
    case .timedOut: self = .timedOut
    default: return nil
    }
  }
}

extension BatchJob.State {
  init(_ proto: Temporal_Api_Enums_V1_BatchOperationState) {
    switch proto {
    case .running: self = .running
    case .completed: self = .completed
    case .failed: self = .failed
    default: self = .other("\(proto)")
    }
  }
}

/// Task queue types as salvage records them (the CLI's words).
enum TaskQueueKind {
  static func name(_ type: Temporal_Api_Enums_V1_TaskQueueType) -> String {
    switch type {
    case .workflow: "workflow"
    case .activity: "activity"
    case .nexus: "nexus"
    default: "unspecified"
    }
  }

  static func type(_ name: String) -> Temporal_Api_Enums_V1_TaskQueueType {
    switch name {
    case "workflow": .workflow
    case "activity": .activity
    case "nexus": .nexus
    default: .unspecified
    }
  }
}

/// Search attributes and memo fields: JSON payloads (`json/plain`), decoded into plain values.
enum PayloadValues {
  /// The fields named in `only`.
  static func decode(_ fields: [String: Temporal_Api_Common_V1_Payload], only names: Set<String>)
    -> [String: SearchAttributeValue]
  {
    var values: [String: SearchAttributeValue] = [:]
    for name in names {
      if let payload = fields[name], let value = decode(payload) { values[name] = value }
    }
    return values
  }

  static func decode(_ payload: Temporal_Api_Common_V1_Payload) -> SearchAttributeValue? {
    let encoding = payload.metadata["encoding"].map { String(decoding: $0, as: UTF8.self) }
    guard encoding == nil || encoding == "json/plain" else { return nil }
    return simple(payload.data)
      ?? (try? JSONDecoder().decode(JSONValueBox.self, from: payload.data).value)
  }

  /// The shapes search attributes almost always have (a string without escapes, a list of such
  /// strings, a Bool, a plain number), read straight from the bytes; anything else returns nil and
  /// goes to `JSONDecoder`. Identification reads several per execution, hundreds of thousands of times.
  static func simple(_ data: Data) -> SearchAttributeValue? {
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> SearchAttributeValue? in
      let quote = UInt8(ascii: "\"")
      let backslash = UInt8(ascii: "\\")
      func string(_ start: Int, _ end: Int) -> String? {
        guard end > start else { return end == start ? "" : nil }
        var index = start
        while index < end {
          if bytes[index] == backslash || bytes[index] < 0x20 { return nil }
          index += 1
        }
        // Validating, not repairing: bytes that are not UTF-8 go to JSONDecoder, which refuses them.
        return String(
          validating: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
      }
      let count = bytes.count
      guard count > 0 else { return nil }
      switch bytes[0] {
      case quote:
        guard count >= 2, bytes[count - 1] == quote, let text = string(1, count - 1) else {
          return nil
        }
        // A quote inside means the closing one was not the last byte's pair.
        return text.utf8.contains(quote) ? nil : .string(text)
      case UInt8(ascii: "["):
        guard bytes[count - 1] == UInt8(ascii: "]") else { return nil }
        var values: [SearchAttributeValue] = []
        var index = 1
        while index < count - 1 {
          guard bytes[index] == quote else { return nil }
          var end = index + 1
          while end < count - 1, bytes[end] != quote { end += 1 }
          guard end < count - 1, let text = string(index + 1, end) else { return nil }
          values.append(.string(text))
          index = end + 1
          if index < count - 1 {
            guard bytes[index] == UInt8(ascii: ",") else { return nil }
            index += 1
          }
        }
        return .list(values)
      default:
        let text = String(decoding: bytes, as: UTF8.self)
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if text == "null" { return .null }
        // Only JSON's number grammar: `Double("nan")`, `"inf"`, `"0x10"` and `"+1"` parse too.
        guard isJSONNumber(bytes), let number = Double(text), number.isFinite else { return nil }
        return .number(number)
      }
    }
  }

  /// Whether the bytes are exactly one JSON number: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
  static func isJSONNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
        index += 1
      }
      return index - start
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
    let leadingZero = index < bytes.count && bytes[index] == UInt8(ascii: "0")
    let integer = digits()
    guard integer > 0, !(leadingZero && integer > 1) else { return false }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard digits() > 0 else { return false }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }
}

/// Any JSON value, decoded as a ``SearchAttributeValue`` (a Bool before a number, as JSON says).
private struct JSONValueBox: Decodable {
  let value: SearchAttributeValue

  init(from decoder: any Swift.Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      value = .null
    } else if let bool = try? container.decode(Bool.self) {
      value = .bool(bool)
    } else if let number = try? container.decode(Double.self) {
      value = .number(number)
    } else if let text = try? container.decode(String.self) {
      value = .string(text)
    } else if let list = try? container.decode([JSONValueBox].self) {
      value = .list(list.map(\.value))
    } else {
      value = .object(try container.decode([String: JSONValueBox].self).mapValues(\.value))
    }
  }
}

extension WorkflowExecutionSummary {
  /// The search attributes salvage reads from a listed execution; the others stay undecoded
  /// (identification lists hundreds of thousands).
  static let readAttributes: Set<String> = [
    "TemporalWorkerDeploymentVersion", "TemporalWorkflowVersioningBehavior",
    "TemporalReportedProblems",
  ]

  init(_ info: Temporal_Api_Workflow_V1_WorkflowExecutionInfo) {
    self.init(
      workflowID: info.execution.workflowID, runID: info.execution.runID, type: info.type.name,
      status: ExecutionStatus(info.status),
      startTime: UTCTime(info.hasStartTime ? info.startTime : nil),
      closeTime: UTCTime(info.hasCloseTime ? info.closeTime : nil),
      searchAttributes: PayloadValues.decode(
        info.searchAttributes.indexedFields, only: Self.readAttributes))
  }
}
