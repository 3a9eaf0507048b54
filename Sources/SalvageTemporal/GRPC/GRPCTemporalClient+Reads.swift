internal import GRPCCore
internal import GRPCProtobuf
public import SalvageCore
internal import SwiftProtobuf

extension GRPCTemporalClient {
  public func describeDeployment(_ name: String) async throws -> DeploymentDescription {
    try await deploymentState(name).description
  }

  /// The deployment with what a change to it needs: its conflict token and manager identity.
  func deploymentState(_ name: String) async throws -> DeploymentState {
    var request = Temporal_Api_Workflowservice_V1_DescribeWorkerDeploymentRequest()
    request.namespace = namespace
    request.deploymentName = name
    let response = try await read("DescribeWorkerDeployment") {
      try await $0.describeWorkerDeployment(request, metadata: $1, options: $2)
    }
    return DeploymentState(response, name: name) { scrubber.scrub($0) }
  }

  public func describeVersion(_ version: WorkerDeploymentVersion) async throws -> VersionDescription
  {
    var request = Temporal_Api_Workflowservice_V1_DescribeWorkerDeploymentVersionRequest()
    request.namespace = namespace
    request.deploymentVersion = version.proto
    let response = try await read("DescribeWorkerDeploymentVersion") {
      try await $0.describeWorkerDeploymentVersion(request, metadata: $1, options: $2)
    }
    let info = response.workerDeploymentVersionInfo
    let queues =
      response.versionTaskQueues.isEmpty
      ? info.taskQueueInfos.map {
        VersionDescription.TaskQueue(name: $0.name, type: TaskQueueKind.name($0.type))
      }
      : response.versionTaskQueues.map {
        VersionDescription.TaskQueue(name: $0.name, type: TaskQueueKind.name($0.type))
      }
    let drainage = info.drainageInfo
    return VersionDescription(
      version: version, drainage: DrainageStatus(drainage.status),
      drainageChangedAt: UTCTime(drainage.hasLastChangedTime ? drainage.lastChangedTime : nil),
      drainageCheckedAt: UTCTime(drainage.hasLastCheckedTime ? drainage.lastCheckedTime : nil),
      rampPercentage: Double(info.rampPercentage),
      currentSince: UTCTime(info.hasCurrentSinceTime ? info.currentSinceTime : nil),
      rampingSince: UTCTime(info.hasRampingSinceTime ? info.rampingSinceTime : nil),
      taskQueues: queues)
  }

  public func describeNamespace() async throws -> NamespaceDescription {
    var request = Temporal_Api_Workflowservice_V1_DescribeNamespaceRequest()
    request.namespace = namespace
    let response = try await read("DescribeNamespace") {
      try await $0.describeNamespace(request, metadata: $1, options: $2)
    }
    let ttl = response.config.workflowExecutionRetentionTtl
    return NamespaceDescription(
      name: response.namespaceInfo.name,
      retentionSeconds: Double(ttl.seconds) + Double(ttl.nanos) / 1e9)
  }

  /// The server's version and capabilities.
  public func serverVersion() async throws -> String {
    let response = try await read("GetSystemInfo") {
      try await $0.getSystemInfo(.init(), metadata: $1, options: $2)
    }
    return scrubber.scrub(response.serverVersion)
  }

  public func count(_ query: VisibilityQuery) async throws -> Int {
    var request = Temporal_Api_Workflowservice_V1_CountWorkflowExecutionsRequest()
    request.namespace = namespace
    request.query = try Self.render(query)
    let response = try await read("CountWorkflowExecutions") {
      try await $0.countWorkflowExecutions(request, metadata: $1, options: $2)
    }
    return Int(response.count)
  }

  /// Counts by `ExecutionStatus`, the only attribute the server groups by.
  public func countByStatus(_ query: VisibilityQuery) async throws -> [ExecutionStatus: Int] {
    var request = Temporal_Api_Workflowservice_V1_CountWorkflowExecutionsRequest()
    request.namespace = namespace
    request.query = try Self.render(query) + " GROUP BY ExecutionStatus"
    let response = try await read("CountWorkflowExecutions") {
      try await $0.countWorkflowExecutions(request, metadata: $1, options: $2)
    }
    var counts: [ExecutionStatus: Int] = [:]
    for group in response.groups {
      guard let value = group.groupValues.first.flatMap(PayloadValues.decode)?.string,
        let status = ExecutionStatus(rawValue: value)
      else { continue }
      counts[status, default: 0] += Int(group.count)
    }
    return counts
  }

  public func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void)
    async throws
  {
    var request = Temporal_Api_Workflowservice_V1_ListWorkflowExecutionsRequest()
    request.namespace = namespace
    request.query = try Self.render(query)
    request.pageSize = 1000
    repeat {
      let page = request
      // Each answer read straight from the wire (ListPageReader), not into generated messages.
      let response = try await read("ListWorkflowExecutions") { client, metadata, options in
        try await client.unary(
          request: ClientRequest(message: page, metadata: metadata),
          descriptor: Temporal_Api_Workflowservice_V1_WorkflowService.Method
            .ListWorkflowExecutions.descriptor,
          serializer: ProtobufSerializer<
            Temporal_Api_Workflowservice_V1_ListWorkflowExecutionsRequest
          >(),
          deserializer: ListPageDeserializer(), options: options
        ) { try $0.message }
      }
      for summary in response.executions { try each(summary) }
      request.nextPageToken = response.nextPageToken
    } while !request.nextPageToken.isEmpty
  }

  public func describeBatch(_ id: BatchJobID) async throws -> BatchJob {
    var request = Temporal_Api_Workflowservice_V1_DescribeBatchOperationRequest()
    request.namespace = namespace
    request.jobID = id.rawValue
    let response = try await read("DescribeBatchOperation") {
      try await $0.describeBatchOperation(request, metadata: $1, options: $2)
    }
    return BatchJob(
      id: id, state: BatchJob.State(response.state), operationType: "\(response.operationType)",
      totalCount: Int(response.totalOperationCount),
      completeCount: Int(response.completeOperationCount),
      failureCount: Int(response.failureOperationCount),
      identity: scrubber.scrub(response.identity.nonEmpty),
      reason: scrubber.scrub(response.reason.nonEmpty),
      query: scrubber.scrub(response.query.nonEmpty),
      startTime: UTCTime(response.hasStartTime ? response.startTime : nil),
      closeTime: UTCTime(response.hasCloseTime ? response.closeTime : nil))
  }

  public func describeWorkflow(id: String, runID: String?) async throws -> WorkflowDescription {
    var request = Temporal_Api_Workflowservice_V1_DescribeWorkflowExecutionRequest()
    request.namespace = namespace
    request.execution.workflowID = id
    request.execution.runID = runID ?? ""
    let response = try await read("DescribeWorkflowExecution") {
      try await $0.describeWorkflowExecution(request, metadata: $1, options: $2)
    }
    let info = response.workflowExecutionInfo
    let versioning = info.versioningInfo
    return WorkflowDescription(
      workflowID: info.execution.workflowID, runID: info.execution.runID, type: info.type.name,
      status: ExecutionStatus(info.status),
      versioningBehavior: VersioningBehavior(versioning.behavior),
      deploymentVersion: WorkerDeploymentVersion(
        versioning.deploymentVersion, legacy: versioning.version),
      overrideVersion: versioning.versioningOverride.pinned.hasVersion
        ? WorkerDeploymentVersion(versioning.versioningOverride.pinned.version) : nil,
      resetRunID: response.workflowExtendedInfo.resetRunID.nonEmpty,
      pendingTaskAttempt: response.hasPendingWorkflowTask
        ? Int(response.pendingWorkflowTask.attempt) : nil,
      requestIDs: Set(response.workflowExtendedInfo.requestIDInfos.keys),
      closeTime: UTCTime(info.hasCloseTime ? info.closeTime : nil),
      oneTimeTarget: {
        guard case .oneTime(let oneTime)? = versioning.versioningOverride.override else {
          return nil
        }
        return WorkerDeploymentVersion(oneTime.targetDeploymentVersion)
      }())
  }

  public func pollers(
    of version: WorkerDeploymentVersion, on taskQueues: [VersionDescription.TaskQueue]
  )
    async throws -> [Poller]
  {
    var pollers: [Poller] = []
    for queue in taskQueues {
      var request = Temporal_Api_Workflowservice_V1_DescribeTaskQueueRequest()
      request.namespace = namespace
      request.taskQueue.name = queue.name
      request.taskQueue.kind = .normal
      request.taskQueueType = TaskQueueKind.type(queue.type)
      let response = try await read("DescribeTaskQueue") {
        try await $0.describeTaskQueue(request, metadata: $1, options: $2)
      }
      for poller in response.pollers {
        let options = poller.deploymentOptions
        guard options.deploymentName == version.deploymentName, options.buildID == version.buildID
        else { continue }
        pollers.append(
          Poller(
            identity: scrubber.scrub(poller.identity), taskQueue: queue.name, version: version,
            lastAccess: UTCTime(poller.hasLastAccessTime ? poller.lastAccessTime : nil)))
      }
    }
    return pollers
  }

  static func render(_ query: VisibilityQuery) throws -> String {
    do {
      return try query.rendered()
    } catch {
      throw TemporalError.invalidQuery(error.description)
    }
  }
}

extension String {
  /// `nil` for the empty string, which proto3 sends for "not set".
  var nonEmpty: String? { isEmpty ? nil : self }
}
