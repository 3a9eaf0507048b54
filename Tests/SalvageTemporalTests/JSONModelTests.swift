import Foundation
import SalvageCore
import SalvageTemporal
import Testing

/// The JSON models read what the real CLI printed (Fixtures/, from tools/capture-fixtures.sh).
@Suite struct JSONModelTests {
  let runner = ScriptedCommandRunner()
  var client: ProcessTemporalClient { ProcessTemporalClient(connection: .init(), runner: runner) }
  let bad = WorkerDeploymentVersion(deploymentName: "orders", buildID: "bad")

  @Test func aRolledOutDeploymentHasTheBadBuildCurrentAndNothingRamping() throws {
    runner.answer(["describe", "--name"], fixture: "describe-deployment-rolled-out.json")
    let deployment = try client.describeDeployment("orders")
    #expect(deployment.name == "orders")
    #expect(deployment.currentBuildID == "bad")
    #expect(deployment.rampingBuildID == nil)  // "" on the wire
    #expect(Set(deployment.versions.map(\.buildID)) == ["good", "bad", "fixed"])
    let drainage = Dictionary(uniqueKeysWithValues: deployment.versions.map { ($0.buildID, $0.drainage) })
    #expect(drainage["bad"] == .unspecified)  // "unspecified" on the wire: it is Current
    #expect(drainage["good"] == .drained)  // replaced as Current, nothing Running was pinned to it
  }

  @Test func aRampAtZeroPercentIsStillTheRampingVersion() throws {
    runner.answer(["describe"], fixture: "describe-deployment-ramp-zero.json")
    let deployment = try client.describeDeployment("orders")
    #expect(deployment.rampingBuildID == "fixed")
    #expect(deployment.rampPercentage == 0)
    runner.answer(["describe"], fixture: "describe-deployment-ramp-removed.json")
    #expect(try client.describeDeployment("orders").rampingBuildID == nil)
  }

  @Test func aStoppedRolloutLeavesTheBadVersionDraining() throws {
    runner.answer(["describe"], fixture: "describe-deployment-stopped.json")
    let deployment = try client.describeDeployment("orders")
    #expect(deployment.currentBuildID == "good")
    #expect(deployment.versions.first { $0.buildID == "bad" }?.drainage == .draining)
  }

  @Test func describeVersionReadsDrainageTimesAndTaskQueues() throws {
    runner.answer(["describe-version"], fixture: "describe-version-bad-drained.json")
    let version = try client.describeVersion(bad)
    #expect(version.version == bad)  // "BuildID" on the wire
    #expect(version.drainage == .drained)
    #expect(version.drainageCheckedAt?.description.hasPrefix("2026-") == true)
    #expect(version.currentSince == nil)  // 1970-01-01T00:00:00Z means never
    #expect(version.taskQueues == [.init(name: "orders-tq", type: "workflow")])
  }

  @Test func theCurrentVersionsEmptyDrainageStatusReadsAsUnspecified() throws {
    runner.answer(["describe-version"], fixture: "describe-version-bad-current.json")
    let version = try client.describeVersion(bad)
    #expect(version.drainage == .unspecified)
    #expect(version.drainageChangedAt == nil)  // 0001-01-01T00:00:00Z
    #expect(version.currentSince != nil)
  }

  @Test func countsAreStringsAndAnEmptyObjectMeansZero() throws {
    runner.answer(["count"], fixture: "count-stuck.json")
    #expect(try client.count(.equals(.workflowType, "OrderWorkflow")) == 4)
    runner.answer(["count"], fixture: "count-zero.json")
    #expect(try client.count(.equals(.workflowType, "NoSuchType")) == 0)
  }

  @Test func aGroupedCountSplitsByStatus() throws {
    runner.answer(["count"], fixture: "count-group-by-status.json")
    let groups = try client.count(.equals(.workerDeploymentVersion, "orders:bad"), groupedBy: .executionStatus)
    let byStatus = Dictionary(uniqueKeysWithValues: groups.map { ($0.values.first ?? "", $0.count) })
    #expect(byStatus == ["Running": 4, "Failed": 3, "TimedOut": 2, "Completed": 2])
    #expect(runner.recorded.last?.contains { $0.hasSuffix(" GROUP BY ExecutionStatus") } == true)
  }

  @Test func listDecodesBase64SearchAttributes() throws {
    runner.answer(["list"], fixture: "list-bad.jsonl")
    var entries: [WorkflowExecutionSummary] = []
    try client.list(.equals(.workerDeploymentVersion, "orders:bad")) { entries.append($0) }
    #expect(entries.count == 11)
    let stuck = try #require(entries.first { $0.workflowID == "stuck-orderworkflow-0" })
    #expect(stuck.status == .running)
    #expect(stuck.type == "OrderWorkflow")
    #expect(stuck.deploymentVersion == bad)
    #expect(stuck.versioningBehavior == "Pinned")
    #expect(stuck.reportedProblems.contains("category=WorkflowTaskFailed"))
    let timedOut = try #require(entries.first { $0.workflowID == "timedout-0" })
    #expect(timedOut.status == .timedOut)
    #expect(timedOut.closeTime != nil)
    #expect(Set(entries.compactMap(\.status)) == [.running, .failed, .timedOut, .completed])
  }

  @Test func describeWorkflowReadsThePinnedVersionAndTheOverride() throws {
    runner.answer(["describe", "--workflow-id"], fixture: "describe-workflow-overridden.json")
    let workflow = try client.describeWorkflow(id: "stuck-orderworkflow-0", runID: nil)
    #expect(workflow.versioningBehavior == "VERSIONING_BEHAVIOR_PINNED")
    #expect(workflow.deploymentVersion == bad)
    #expect(workflow.overrideVersion == WorkerDeploymentVersion(deploymentName: "orders", buildID: "fixed"))
    #expect(workflow.resetRunID == nil)
    #expect(workflow.pendingTaskAttempt == 2)
  }

  @Test func aResetRunCarriesItsResetRunID() throws {
    runner.answer(["describe", "--run-id"], fixture: "describe-workflow-reset-old-run.json")
    let old = try client.describeWorkflow(id: "failed-0", runID: "old")
    #expect(old.status == .failed)
    #expect(old.resetRunID?.isEmpty == false)
    #expect(runner.recorded.last?.contains("--run-id") == true)
  }

  @Test func batchLaunchesReturnTheJobIDAndDescribeReadsStringCounts() throws {
    runner.answer(["update-options"], fixture: "batch-update-options.json")
    let job = try client.updateOptions(
      matching: .equals(.workflowType, "OrderWorkflow"), pinTo: bad,
      context: .init(identity: "salvage/i/a", reason: "r"))
    #expect(!job.rawValue.isEmpty)
    runner.answer(["batch", "describe"], fixture: "batch-describe-reset.json")
    let described = try client.describeBatch(job)
    #expect(described.state == .completed)
    #expect(described.operationType == "BATCH_OPERATION_TYPE_RESET_WORKFLOW")
    #expect(described.totalCount == 3)
    #expect(described.completeCount == 3)
    #expect(described.failureCount == 0)  // omitted on the wire
    #expect(described.identity == "salvage/capture/reset-closed")
  }

  @Test func batchJobsAreFoundAgainByIdentityWithTheirMemo() throws {
    runner.answer(["list", "--query"], fixture: "find-batch-by-identity.jsonl")
    let records = try client.findBatchJobs(identity: "salvage/capture/update-options")
    let record = try #require(records.first)
    #expect(records.count == 1)
    #expect(record.status == .completed)
    #expect(record.operationType == "update_options")
    #expect(record.reason == "capture: move stuck")
    #expect(record.successCount == 4)
    #expect(record.failureCount == 0)
    let query = runner.recorded.last?.firstIndex(of: "--query").flatMap { runner.recorded.last?[$0 + 1] }
    #expect(query == "TemporalNamespaceDivision = 'TemporalBatcher' AND BatcherUser = 'salvage/capture/update-options'")
  }

  @Test func pollersComeFromLegacyTaskQueueDescribeFilteredByVersion() throws {
    runner.answer(["describe-version"], fixture: "describe-version-bad-drained.json")
    runner.answer(["task-queue", "--legacy-mode"], fixture: "task-queue-legacy-workflow.json")
    let pollers = try client.pollers(of: bad)
    #expect(pollers.count == 1)
    #expect(pollers.first?.version == bad)
    #expect(pollers.first?.identity.hasPrefix("scenario-worker-bad@") == true)
    #expect(pollers.first?.taskQueue == "orders-tq")
  }

  @Test func commandsThatPrintNothingOnSuccessSucceed() throws {
    let context = ChangeContext(identity: "salvage/i/stop", reason: "r")
    runner.answer(["set-current-version"], fixture: "set-current-good.out")
    try client.setCurrentVersion(bad, context: context)
    runner.answer(["set-ramping-version", "--delete"], fixture: "remove-ramp.out")
    try client.removeRamp(deployment: "orders", context: context)
    runner.answer(["delete-version"], fixture: "delete-version-missing.out")
    try client.deleteVersion(bad, context: context)
  }

  @Test(arguments: [
    ("error-batch-limit.stderr", TemporalError.batchLimitReached),
    ("error-unknown-version.stderr", .versionNotFound("error describing worker deployment version: Worker Deployment Version not found")),
    ("error-unknown-deployment.stderr", .deploymentNotFound("error describing worker deployment: no Worker Deployment found with name 'nope'; does your Worker Deployment have pollers?")),
    ("error-invalid-query.stderr", .invalidQuery("invalid query: invalid search attribute: NoSuchAttribute")),
    ("error-unknown-batch.stderr", .batchNotFound("could not find Batch Job 'does-not-exist'")),
    ("error-delete-with-pollers.stderr", .versionHasPollers("error deleting worker deployment version: version 'orders:bad' cannot be deleted since it has active pollers")),
  ])
  func realErrorsMapToTypedOneLineErrors(fixture: String, expected: TemporalError) {
    runner.answer([], fixture: fixture, status: 1)
    #expect(throws: expected) { _ = try client.describeVersion(bad) }
    #expect(!expected.description.contains("\n"))
  }

  @Test func unexpectedJSONIsAnUnreadableOutputErrorNamingTheCommand() {
    runner.answer(["describe-version"], fixture: "count-stuck.json")
    #expect {
      _ = try client.describeVersion(bad)
    } throws: { error in
      guard case .unreadableOutput(let command, _)? = error as? TemporalError else { return false }
      return command == "temporal worker deployment describe-version"
    }
  }
}
