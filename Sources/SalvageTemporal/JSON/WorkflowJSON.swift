import Foundation
import SalvageCore

/// `workflow count -o json`: `{"count": "4"}`, `{}` for zero, and `groups` with GROUP BY.
struct CountJSON: Decodable {
  struct Group: Decodable {
    let groupValues: [JSONValue]?
    let count: FlexibleInt?
  }
  let count: FlexibleInt?
  let groups: [Group]?

  var total: Int { count?.value ?? 0 }

  var countGroups: [CountGroup] {
    (groups ?? []).map { group in
      let values = (group.groupValues ?? []).map { value -> String in
        switch value {
        case .string(let text): text
        case .number(let number): String(number)
        default: ""
        }
      }
      return CountGroup(values: values, count: group.count?.value ?? 0)
    }
  }
}

/// One element of `workflow list -o jsonl`.
struct ListEntryJSON: Decodable {
  struct Execution: Decodable {
    let workflowId: String
    let runId: String
  }
  struct TypeName: Decodable { let name: String }
  struct Attributes: Decodable { let indexedFields: [String: EncodedPayload]? }
  struct Memo: Decodable { let fields: [String: JSONValue]? }

  let summary: WorkflowExecutionSummary

  private enum Keys: String, CodingKey {
    case execution, type, status, startTime, closeTime, searchAttributes, memo
  }

  init(from decoder: any Decoder) throws {
    let root = try decoder.container(keyedBy: Keys.self)
    let execution = try root.decode(Execution.self, forKey: .execution)
    let fields = ((try? root.decodeIfPresent(Attributes.self, forKey: .searchAttributes)) ?? nil)?
      .indexedFields ?? [:]
    let memo = ((try? root.decodeIfPresent(Memo.self, forKey: .memo)) ?? nil)?.fields ?? [:]
    summary = WorkflowExecutionSummary(
      workflowID: execution.workflowId, runID: execution.runId,
      type: ((try? root.decodeIfPresent(TypeName.self, forKey: .type)) ?? nil)?.name ?? "",
      status: root.nonEmpty(.status).flatMap(ExecutionStatus.init(protoName:)),
      startTime: root.time(.startTime), closeTime: root.time(.closeTime),
      searchAttributes: fields.compactMapValues(\.value),
      memo: memo.mapValues(\.attributeValue))
  }
}

extension ListEntryJSON {
  /// The same summary as ``init(from:)`` picked straight from the tokens, without building a
  /// `Decodable` value for every part of the line; `nil` whenever the line is not shaped as the
  /// CLI prints it, and then the `Decodable` path reads it (and names what is wrong).
  static func fastSummary(_ line: Data) -> WorkflowExecutionSummary? {
    try? PayloadDecoder.withDocument(line) { document -> WorkflowExecutionSummary? in
      guard let execution = document.member("execution"),
        let workflowID = document.member("workflowId", of: execution).flatMap(document.string),
        let runID = document.member("runId", of: execution).flatMap(document.string)
      else { return nil }
      func text(_ name: String, of object: Int = 0) -> String?? {
        guard let index = document.member(name, of: object), !document.isNull(index) else { return .some(nil) }
        return document.string(index).map { .some($0) } ?? nil  // present but not a string: give up
      }
      guard let status = text("status"), let start = text("startTime"), let close = text("closeTime") else { return nil }
      var type = ""
      if let index = document.member("type"), !document.isNull(index) {
        guard let name = document.member("name", of: index).flatMap(document.string) else { return nil }
        type = name
      }
      var attributes: [String: SearchAttributeValue] = [:]
      if let index = document.member("searchAttributes"), !document.isNull(index),
        let fields = document.member("indexedFields", of: index), !document.isNull(fields)
      {
        guard let members = document.members(of: fields) else { return nil }
        for (name, value) in members {
          guard document.isObject(value), let data = text("data", of: value) else { return nil }
          if let decoded = EncodedPayload(data: data).value { attributes[name] = decoded }
        }
      }
      var memo: [String: SearchAttributeValue] = [:]
      if let index = document.member("memo"), !document.isNull(index),
        let fields = document.member("fields", of: index), !document.isNull(fields)
      {
        guard let members = document.members(of: fields) else { return nil }
        for (name, value) in members { memo[name] = try document.decode(JSONValue.self, at: value).attributeValue }
      }
      return WorkflowExecutionSummary(
        workflowID: workflowID, runID: runID, type: type,
        status: status.flatMap { $0.isEmpty ? nil : ExecutionStatus(protoName: $0) },
        startTime: start.flatMap(UTCTime.init(rfc3339:)), closeTime: close.flatMap(UTCTime.init(rfc3339:)),
        searchAttributes: attributes, memo: memo)
    } ?? nil
  }
}

/// `workflow describe -o json`: versioning info and, at the top level, `workflowExtendedInfo`.
struct DescribeWorkflowJSON: Decodable {
  struct Version: Decodable {
    let buildId: String?
    let deploymentName: String?
    var version: WorkerDeploymentVersion? {
      guard let buildId, let deploymentName, !buildId.isEmpty else { return nil }
      return WorkerDeploymentVersion(deploymentName: deploymentName, buildID: buildId)
    }
  }
  struct Override: Decodable {
    struct Pinned: Decodable { let version: Version? }
    let pinned: Pinned?
  }
  struct Versioning: Decodable {
    let behavior: String?
    let deploymentVersion: Version?
    let versioningOverride: Override?
  }
  struct Info: Decodable {
    let execution: ListEntryJSON.Execution
    let type: ListEntryJSON.TypeName?
    let status: String?
    let versioningInfo: Versioning?
  }
  struct Extended: Decodable { let resetRunId: String? }
  struct PendingTask: Decodable { let attempt: FlexibleInt? }

  let workflowExecutionInfo: Info
  let workflowExtendedInfo: Extended?
  let pendingWorkflowTask: PendingTask?

  var description: WorkflowDescription {
    let info = workflowExecutionInfo
    return WorkflowDescription(
      workflowID: info.execution.workflowId, runID: info.execution.runId,
      type: info.type?.name ?? "", status: info.status.flatMap(ExecutionStatus.init(protoName:)),
      versioningBehavior: info.versioningInfo?.behavior,
      deploymentVersion: info.versioningInfo?.deploymentVersion?.version,
      overrideVersion: info.versioningInfo?.versioningOverride?.pinned?.version?.version,
      resetRunID: workflowExtendedInfo?.resetRunId.flatMap { $0.isEmpty ? nil : $0 },
      pendingTaskAttempt: pendingWorkflowTask?.attempt?.value)
  }
}

/// `workflow update-options … -o json` and `workflow reset … -o json`: `{"batchJobId": "…"}`.
struct BatchLaunchJSON: Decodable {
  let batchJobId: String
}

/// `batch describe -o json`: counts are strings and omitted when zero.
struct BatchDescribeJSON: Decodable {
  let job: BatchJob

  private enum Keys: String, CodingKey {
    case jobId, state, operationType, totalOperationCount, completeOperationCount,
      failureOperationCount, identity, reason, query, startTime, closeTime
  }

  init(from decoder: any Decoder) throws {
    let root = try decoder.container(keyedBy: Keys.self)
    job = BatchJob(
      id: BatchJobID(rawValue: try root.decode(String.self, forKey: .jobId)),
      state: BatchJob.State(serverValue: root.nonEmpty(.state) ?? ""),
      operationType: root.nonEmpty(.operationType) ?? "",
      totalCount: root.count(.totalOperationCount),
      completeCount: root.count(.completeOperationCount),
      failureCount: root.count(.failureOperationCount),
      identity: root.nonEmpty(.identity), reason: root.nonEmpty(.reason),
      query: root.nonEmpty(.query), startTime: root.time(.startTime),
      closeTime: root.time(.closeTime))
  }
}
