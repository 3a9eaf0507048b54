import Foundation
import SalvageCore
import SalvageTemporal
import SalvageTestSupport
import Testing

/// Every changing call against a real dev server; each test brings up its own bad rollout.
@Suite(.tags(.integration), .serialized) struct AdapterChangeIntegrationTests {
  func context(_ action: String) -> ChangeContext {
    ChangeContext(identity: "salvage/it-1/\(action)", reason: "it-1: \(action)")
  }

  /// Waits until the batch no longer holds the namespace's batch slot; returns its final state.
  func finished(_ id: BatchJobID, _ client: ProcessTemporalClient) throws -> BatchJob {
    var job: BatchJob?
    try eventually(within: 60, "batch \(id) to finish") {
      job = try client.describeBatch(id)
      return job?.state.isFinished == true
    }
    return try #require(job)
  }

  @Test func settingCurrentBackToTheGoodBuildStopsTheRolloutAndStartsDrainage() throws {
    let scenario = try Scenario()
    try scenario.badRollout(stuck: 2)
    let client = scenario.client
    // When Current goes back to good
    try client.setCurrentVersion(scenario.version("good"), context: context("stop"))
    // Then a re-describe confirms it, and the bad version is draining
    let deployment = try client.describeDeployment("orders")
    #expect(deployment.currentBuildID == "good")
    #expect(deployment.rampingBuildID == nil)
    try eventually(within: 30, "bad to be draining") {
      try client.describeVersion(scenario.version("bad")).drainage == .draining
    }
  }

  @Test func aRampAtZeroStillRampsUntilItIsRemovedWithoutABuildID() throws {
    let scenario = try Scenario()
    try scenario.badRollout(stuck: 1, mode: "ramp")
    let client = scenario.client
    #expect(try client.describeDeployment("orders").rampingBuildID == "bad")
    // When the ramp is set to 0 %, the bad build is still the Ramping Version
    try client.setRampingVersion(scenario.version("bad"), percentage: 0, context: context("stop-ramp"))
    let atZero = try client.describeDeployment("orders")
    #expect(atZero.rampingBuildID == "bad")
    #expect(atZero.rampPercentage == 0)
    // And removing the ramp clears it
    try client.removeRamp(deployment: "orders", context: context("remove-ramp"))
    let removed = try client.describeDeployment("orders")
    #expect(removed.rampingBuildID == nil)
    #expect(removed.currentBuildID == "good")
  }

  @Test func aVersioningOverrideBatchMovesStuckRunsAndIsFoundAgainByIdentity() throws {
    // Given 4 stuck OrderWorkflows, the rollout stopped, and a replay-safe fixed worker
    let scenario = try Scenario()
    try scenario.badRollout(stuck: 4)
    try scenario.startWorker("fixed")
    let client = scenario.client
    try client.setCurrentVersion(scenario.version("good"), context: context("stop"))
    // When they are overridden to the fixed build as one batch
    let id = try client.updateOptions(
      matching: stuckQuery(scenario.version("bad"), type: "OrderWorkflow"), pinTo: scenario.version("fixed"),
      context: context("recover-order"))
    // Then the batch completes on all 4, carrying our identity and reason
    let job = try finished(id, client)
    #expect(job.state == .completed)
    #expect(job.operationType == "BATCH_OPERATION_TYPE_UPDATE_WORKFLOW_EXECUTION_OPTIONS")
    #expect(job.totalCount == 4)
    #expect(job.completeCount == 4)
    #expect(job.failureCount == 0)
    #expect(job.identity == "salvage/it-1/recover-order")
    #expect(job.reason == "it-1: recover-order")
    // And it is found again from the identity alone, as crash recovery needs
    let found = try client.findBatchJobs(identity: "salvage/it-1/recover-order")
    #expect(found.map(\.id) == [id])
    #expect(found.first?.operationType == "update_options")
    #expect(found.first?.reason == "it-1: recover-order")
    #expect(try client.findBatchJobs(identity: "salvage/it-1/never-ran").isEmpty)
    // And each run carries the override, and the runs complete on the fixed build
    let workflow = try client.describeWorkflow(id: "stuck-orderworkflow-0", runID: nil)
    #expect(workflow.overrideVersion == scenario.version("fixed"))
    try eventually(within: 90, "the moved runs to complete") {
      try client.count(.all([.equals(.workflowType, "OrderWorkflow"), .equals(.executionStatus, "Completed")])) == 4
    }
    try eventually(within: 30, "bad to drain") {
      try client.describeVersion(scenario.version("bad")).drainage == .drained
    }
  }

  @Test func aSecondBatchIsRefusedWhileOneHoldsTheSlot() throws {
    let scenario = try Scenario()
    let client = scenario.client
    // Given a batch that matches nothing (it still holds the slot for a few seconds)
    let first = try client.updateOptions(
      matching: .equals(.workflowType, "NoSuchType"), pinTo: scenario.version("good"), context: context("a"))
    // When a second one is launched at once, then it is refused with a typed error
    #expect(throws: TemporalError.batchLimitReached) {
      _ = try client.updateOptions(
        matching: .equals(.workflowType, "NoSuchType"), pinTo: scenario.version("good"), context: context("b"))
    }
    // And once the first has finished, the slot is free again
    _ = try finished(first, client)
    let third = try client.updateOptions(
      matching: .equals(.workflowType, "NoSuchType"), pinTo: scenario.version("good"), context: context("c"))
    #expect(try finished(third, client).state == .completed)
  }

  @Test func resetWithMoveOfClosedRunsLeavesAResetRunIDOnEachOldRun() throws {
    // Given 3 failed runs on the bad build, and the rollout stopped
    let scenario = try Scenario()
    try scenario.badRollout(failed: 3)
    let client = scenario.client
    try client.setCurrentVersion(scenario.version("good"), context: context("stop"))
    var oldRuns: [String: String] = [:]
    try client.list(.all([.equals(.workerDeploymentVersion, scenario.version("bad").visibilityValue),
                          .equals(.executionStatus, "Failed")])) { oldRuns[$0.workflowID] = $0.runID }
    #expect(oldRuns.count == 3)
    // When they are reset with move to the good build, scoped by RunId
    let id = try client.resetWithMove(
      matching: .isIn(.runID, Array(oldRuns.values)), to: .firstWorkflowTask, pinTo: scenario.version("good"),
      context: context("reset-closed-1"))
    let job = try finished(id, client)
    #expect(job.operationType == "BATCH_OPERATION_TYPE_RESET_WORKFLOW")
    #expect(job.completeCount == 3)
    // Then every old run names its reset run, and the new runs complete on good
    for (workflowID, runID) in oldRuns {
      let old = try client.describeWorkflow(id: workflowID, runID: runID)
      #expect(old.status == .failed)
      #expect(old.resetRunID != nil && old.resetRunID != runID)
    }
    try eventually(within: 60, "the reset runs to complete on good") {
      try client.count(.all([.equals(.workflowType, "FailWorkflow"), .equals(.executionStatus, "Completed"),
                             .equals(.workerDeploymentVersion, scenario.version("good").visibilityValue)])) == 3
    }
  }

  @Test func aVersionWithPollersCannotBeDeletedAndOnceStoppedItIsDeletedIdempotently() throws {
    let scenario = try Scenario()
    let client = scenario.client
    let bad = scenario.version("bad")
    // Given the bad worker still polling, delete is refused with a typed error
    #expect(try client.pollers(of: bad).count == 1)
    #expect {
      try client.deleteVersion(bad, context: context("clean-up"))
    } throws: { error in
      if case .versionHasPollers? = error as? TemporalError { return true }
      return false
    }
    // When the worker is stopped and its pollers age out
    try scenario.stopWorker("bad")
    try eventually(within: 60, "the bad version to have no pollers and be deletable") {
      do {
        try client.deleteVersion(bad, context: context("clean-up"))
        return true
      } catch TemporalError.versionHasPollers {
        return false
      }
    }
    // Then it is gone, and deleting it again succeeds (the CLI cannot tell the difference)
    #expect {
      _ = try client.describeVersion(bad)
    } throws: { error in
      if case .versionNotFound? = error as? TemporalError { return true }
      return false
    }
    try client.deleteVersion(bad, context: context("clean-up-again"))
    #expect(try client.describeDeployment("orders").versions.map(\.buildID) == ["good"])
  }
}
