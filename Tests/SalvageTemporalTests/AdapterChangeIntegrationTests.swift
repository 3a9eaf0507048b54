import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// Every changing call against a real dev server; each test brings up its own bad rollout.
@Suite(.tags(.integration), .serialized) struct AdapterChangeIntegrationTests {
  func context(_ action: String) -> ChangeContext {
    ChangeContext(identity: "salvage/it-1/\(action)", reason: "it-1: \(action)")
  }

  /// Waits until the batch no longer holds the namespace's batch slot; returns its final state.
  func finished(_ id: BatchJobID, _ client: GRPCTemporalClient) async throws -> BatchJob {
    var job: BatchJob?
    try await eventually(within: 60, "batch \(id) to finish") {
      job = try await client.describeBatch(id)
      return job?.state.isFinished == true
    }
    return try #require(job)
  }

  /// The deployment's routing as salvage observes it before a stop change.
  func observed(_ client: GRPCTemporalClient) async throws -> RolloutObserved {
    RolloutObserved(try await client.describeDeployment("orders"))
  }

  @Test func settingCurrentBackToTheGoodBuildStopsTheRolloutAndStartsDrainage() async throws {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2)
    let client = try scenario.client
    // When Current goes back to good (with the conflict token of a describe just before)
    let result = try await client.perform(
      .setCurrentVersion(scenario.version("good"), replacing: try await observed(client)),
      context: context("stop"))
    // Then it comes back with the describe that saw the routing update done: the observation
    // after it
    guard case .routed(let seen) = result else {
      Issue.record("a stop comes back routed, not \(result)")
      return
    }
    #expect(seen.currentBuildID == "good")
    #expect(seen.rampingBuildID == nil)
    // And a re-describe confirms it, and the bad version is draining
    let deployment = try await client.describeDeployment("orders")
    #expect(deployment.currentBuildID == "good")
    #expect(deployment.rampingBuildID == nil)
    try await eventually(within: 30, "bad to be draining") {
      try await client.describeVersion(scenario.version("bad")).drainage == .draining
    }
  }

  @Test func aStopDecidedOnRoutingAPersonHasSinceChangedIsRefusedAndChangesNothing() async throws {
    // Given the bad build Current, observed, and then a person's roll-forward to the fixed build
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    try await scenario.startWorker("fixed")
    let client = try scenario.client
    let before = try await observed(client)
    try await scenario.rollout("fixed")
    // When the stop decided on the first observation is sent
    let stop = TemporalChange.setCurrentVersion(scenario.version("good"), replacing: before)
    // Then it is refused with the routing the server shows now, and the roll-forward stands
    await #expect(
      throws: TemporalError.routingChanged(
        since: before,
        now: RolloutObserved(currentBuild: "fixed", rampingBuild: nil, rampPercentage: 0))
    ) { try await client.perform(stop, context: context("stop-1")) }
    #expect(try await client.describeDeployment("orders").currentBuildID == "fixed")
  }

  @Test func aRampAtZeroStillRampsUntilItIsRemovedWithAnEmptyBuildID() async throws {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1, mode: "ramp")
    let client = try scenario.client
    #expect(try await client.describeDeployment("orders").rampingBuildID == "bad")
    // When the ramp is set to 0 %, the bad build is still the Ramping Version
    _ = try await client.perform(
      .setRampingVersion(
        scenario.version("bad"), percentage: 0, replacing: try await observed(client)),
      context: context("stop-1"))
    let atZero = try await client.describeDeployment("orders")
    #expect(atZero.rampingBuildID == "bad")
    #expect(atZero.rampPercentage == 0)
    // And removing the ramp clears it
    _ = try await client.perform(
      .removeRamp(deployment: "orders", replacing: try await observed(client)),
      context: context("stop-2"))
    let removed = try await client.describeDeployment("orders")
    #expect(removed.rampingBuildID == nil)
    #expect(removed.currentBuildID == "good")
  }

  @Test func aVersioningOverrideBatchRunsUnderTheJobIDSalvageChoseAndIsNeverStartedTwice()
    async throws
  {
    // Given 4 stuck OrderWorkflows, the rollout stopped, and a replay-safe fixed worker
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 4)
    try await scenario.startWorker("fixed")
    let client = try scenario.client
    _ = try await client.perform(
      .setCurrentVersion(scenario.version("good"), replacing: try await observed(client)),
      context: context("stop-1"))
    // When they are overridden to the fixed build as one batch under our job id
    let job = BatchJobID(rawValue: "salvage/it-1/recover-OrderWorkflow-1")
    let change = TemporalChange.updateOptions(
      query: stuckQuery(scenario.version("bad"), type: "OrderWorkflow"),
      pinTo: scenario.version("fixed"), job: job)
    #expect(
      try await client.perform(change, context: context("recover-OrderWorkflow-1"))
        == .batch(job, alreadyStarted: false))
    // Then the job is known at once by that id (a strongly consistent read), and completes on all 4
    let described = try await finished(job, client)
    #expect(described.state == .completed)
    #expect(
      described.operationType.contains("updateWorkflowExecutionOptions")
        || described.operationType.contains("update"))
    #expect(described.totalCount == 4)
    #expect(described.completeCount == 4)
    #expect(described.failureCount == 0)
    #expect(described.identity == "salvage/it-1/recover-OrderWorkflow-1")
    #expect(described.reason == "it-1: recover-OrderWorkflow-1")
    // And the same launch sent again is refused as a duplicate: the server never starts it twice
    await #expect {
      _ = try await client.perform(change, context: context("recover-OrderWorkflow-1"))
    } throws: { error in
      if case .alreadyExists? = error as? TemporalError { return true }
      return false
    }
    #expect(try await client.describeBatch(job).totalCount == 4)
    // And each run carries the override, and the runs complete on the fixed build
    let workflow = try await client.describeWorkflow(id: "stuck-orderworkflow-0", runID: nil)
    #expect(workflow.overrideVersion == scenario.version("fixed"))
    try await eventually(within: 90, "the moved runs to complete") {
      try await client.count(
        .all([.equals(.workflowType, "OrderWorkflow"), .equals(.executionStatus, "Completed")]))
        == 4
    }
  }

  @Test func aSecondBatchIsRefusedWhileOneHoldsTheSlotAndAnUnknownJobIsNotFound() async throws {
    let scenario = try await Scenario()
    let client = try scenario.client
    // Given a job id nobody used, the server does not know it
    await #expect(
      throws: TemporalError.batchNotFound("workflow not found for ID: salvage/it-1/never-ran")
    ) {
      _ = try await client.describeBatch(BatchJobID(rawValue: "salvage/it-1/never-ran"))
    }
    // And a batch that matches nothing, which holds the namespace's one batch slot for a moment
    // (on a loaded machine it may finish before the next call: then try again, a few times)
    func launch(_ id: String) async throws {
      _ = try await client.perform(
        .updateOptions(
          query: .equals(.workflowType, "NoSuchType"), pinTo: scenario.version("good"),
          job: BatchJobID(rawValue: "salvage/it-1/\(id)")),
        context: context(id))
    }
    var refused: TemporalError?
    for attempt in 1...5 where refused == nil {
      try await launch("a\(attempt)")
      // When a second one is launched at once, it is refused: the slot check comes before the id
      do {
        try await launch("b\(attempt)")
        _ = try await finished(BatchJobID(rawValue: "salvage/it-1/b\(attempt)"), client)
      } catch let error as TemporalError {
        refused = error
      }
      _ = try await finished(BatchJobID(rawValue: "salvage/it-1/a\(attempt)"), client)
    }
    #expect(refused == .batchLimitReached)
    // And once the first has finished, the slot is free again
    try await launch("c")
    #expect(try await finished(BatchJobID(rawValue: "salvage/it-1/c"), client).state == .completed)
  }

  @Test func aClosedRunResetByItselfNamesItsNewRunAndIsPinnedToTheGoodBuild() async throws {
    // Given 2 failed runs on the bad build, and the rollout stopped
    let scenario = try await Scenario()
    try await scenario.badRollout(failed: 2)
    let client = try scenario.client
    _ = try await client.perform(
      .setCurrentVersion(scenario.version("good"), replacing: try await observed(client)),
      context: context("stop-1"))
    var oldRuns: [String: String] = [:]
    try await client.list(
      .all([
        .equals(.workerDeploymentVersion, scenario.version("bad").visibilityValue),
        .equals(.executionStatus, "Failed"),
      ])
    ) { oldRuns[$0.workflowID] = $0.runID }
    #expect(oldRuns.count == 2)
    // When each is reset to its first workflow task, pinned to good
    for (workflowID, runID) in oldRuns {
      let result = try await client.perform(
        .resetRun(
          workflowID: workflowID, runID: runID, pinTo: scenario.version("good"),
          requestID: "it-1/\(runID)"),
        context: context("reset-closed-0-1"))
      guard case .reset(let newRun) = result else {
        Issue.record("no new run for \(workflowID)")
        continue
      }
      // Then the old run names the new one, which is the workflow id's current run
      #expect(try await client.describeWorkflow(id: workflowID, runID: runID).resetRunID == newRun)
      let current = try await client.describeWorkflow(id: workflowID, runID: nil)
      #expect(current.runID == newRun)
      #expect(current.overrideVersion == scenario.version("good"))
    }
    try await eventually(within: 60, "the reset runs to complete on good") {
      try await client.count(
        .all([
          .equals(.workflowType, "FailWorkflow"), .equals(.executionStatus, "Completed"),
          .equals(.workerDeploymentVersion, scenario.version("good").visibilityValue),
        ])) == 2
    }
  }

  @Test func aSecondResetWithTheSameRequestIDMakesAnotherRun() async throws {
    // Given a failed run on the bad build, reset once under a request id
    let scenario = try await Scenario()
    try await scenario.badRollout(failed: 1)
    let client = try scenario.client
    var failed: (String, String)?
    try await client.list(.equals(.executionStatus, "Failed")) {
      failed = ($0.workflowID, $0.runID)
    }
    let (workflowID, runID) = try #require(failed)
    let reset = TemporalChange.resetRun(
      workflowID: workflowID, runID: runID, pinTo: scenario.version("good"), requestID: "it-1/r")
    let first = try await client.perform(reset, context: context("reset-closed-0-1"))
    // When the same reset is sent again, as after a lost answer
    let second = try await client.perform(reset, context: context("reset-closed-0-1"))
    // Then the server made a second run rather than answering with the first: a reset is not
    // de-duplicated by its request id, so salvage must not send one again while the first may land
    #expect(first != second)
    #expect(try await client.describeWorkflow(id: workflowID, runID: nil).runID != runID)
    // And the run the reset made records the reason salvage gave, for the check to read back
    guard case .reset(let newRun) = first else {
      Issue.record("no new run")
      return
    }
    let origin = try await client.resetOrigin(workflowID: workflowID, newRunID: newRun)
    #expect(origin?.reason?.contains(context("reset-closed-0-1").reason) == true)
    #expect(origin?.at != nil)
  }

  @Test func aVersionWithPollersCannotBeDeletedAndOnceStoppedItIsDeletedIdempotently() async throws
  {
    let scenario = try await Scenario()
    let client = try scenario.client
    let bad = scenario.version("bad")
    let queues = try await client.describeVersion(bad).taskQueues
    // Given the bad worker still polling, delete is refused with a typed error
    #expect(try await client.pollers(of: bad, on: queues).count == 1)
    await #expect {
      _ = try await client.perform(.deleteVersion(bad), context: context("clean-up-1"))
    } throws: { error in
      if case .versionHasPollers? = error as? TemporalError { return true }
      return false
    }
    // When the worker is stopped and its pollers age out
    try await scenario.stopWorker("bad")
    try await eventually(within: 60, "the bad version to have no pollers and be deletable") {
      do {
        _ = try await client.perform(.deleteVersion(bad), context: context("clean-up-2"))
        return true
      } catch TemporalError.versionHasPollers {
        return false
      }
    }
    // Then it is gone, no worker polls its task queues as it, and deleting it again succeeds
    await #expect {
      _ = try await client.describeVersion(bad)
    } throws: { error in
      if case .versionNotFound? = error as? TemporalError { return true }
      return false
    }
    #expect(try await client.pollers(of: bad, on: queues).isEmpty)
    #expect(try await client.perform(.deleteVersion(bad), context: context("clean-up-3")) == .done)
    #expect(try await client.describeDeployment("orders").versions.map(\.buildID) == ["good"])
  }

  @Test func everyChangeRecordsItsRequestAndTheTemporalCommandThatDoesTheSame() async throws {
    let scenario = try await Scenario()
    let client = try scenario.client
    let intent = try client.intent(
      of: .resetRun(
        workflowID: "w-1", runID: "r-1", pinTo: scenario.version("good"), requestID: "req-1"),
      context: context("reset-closed-0-1"))
    #expect(
      intent.command.prefix(4) == ["temporal", "workflow", "reset", "with-workflow-update-options"])
    #expect(intent.command.contains("--run-id") && intent.command.contains("r-1"))
    #expect(intent.request.contains("\"request_id\":\"req-1\""))
    #expect(intent.request.contains("RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL"))
    #expect(intent.request.contains("\"build_id\":\"good\""))
  }
}
