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

extension VersioningBehavior {
  /// `nil` when the run is unversioned (or the behavior is one salvage does not know).
  init?(_ proto: Temporal_Api_Enums_V1_VersioningBehavior) {
    switch proto {
    case .pinned: self = .pinned
    case .autoUpgrade: self = .autoUpgrade
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

extension WorkflowExecutionSummary {
  /// The search attributes salvage reads from a listed execution; the others stay undecoded
  /// (identification lists hundreds of thousands).
  static let readAttributes = Set(ListedSearchAttributes.names)

  /// A listed execution from swift-protobuf's generated message: what ``ListPageReader`` reads
  /// straight from the wire, and the reference ListPageReaderTests check it against.
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
