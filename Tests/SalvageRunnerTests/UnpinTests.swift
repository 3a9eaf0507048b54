import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// `salvage unpin` in process: the overrides salvage's recovery left are removed
/// only where the run would not go back to the bad build, as repeatable batches under their own
/// job ids, settled by job id after a crash.
@Suite struct UnpinTests {
  /// A cleaned incident: OrderWorkflow reset onto v1 (its new runs completed), PaymentWorkflow's
  /// two Running runs pinned to v3 by an override batch, their own version still the bad v2.
  func cleaned() async throws -> RunbookInProcess {
    let world = try RunbookInProcess()
    let stop = try await world.runner().run()
    #expect(stop == .finished)
    return world
  }

  func unpinBatches(_ world: RunbookInProcess) -> [(query: VisibilityQuery, job: BatchJobID)] {
    world.cluster.changes.compactMap {
      if case .unpin(let query, _, let job) = $0 { (query, job) } else { nil }
    }
  }

  func payment(_ world: RunbookInProcess, _ id: String) -> ScriptedCluster.Execution? {
    world.cluster.executions.last { $0.workflowID == id }
  }

  func reviews(_ world: RunbookInProcess) throws -> [OverridesReviewed] {
    try #require(try world.state).progress.overrideReviews.map(\.review)
  }

  @Test(
    "Unpin removes the override of a run whose task completed on its build, and leaves a run that would go back to the bad build pinned"
  )
  func unpinRemovesOnlyOverridesThatDoNotSendARunBack() async throws {
    // Given a cleaned incident whose first Payment run has since completed a task on v3
    let world = try await cleaned()
    world.cluster.completeTask(of: "paymentworkflow-0", on: "v3")
    // When salvage unpins
    let stop = try await world.runner().unpin()
    // Then one batch went out, naming only that run and v3, and the server shows it unpinned on
    // v3 while the other run keeps its override
    #expect(
      stop
        == .unpinned(
          UnpinOutcome(builds: ["v1", "v3"], unpinned: 1, stayOnBuild: 1, leftPinned: 1, failed: 0))
    )
    let batches = unpinBatches(world)
    #expect(batches.count == 1)
    let query = try #require(batches.first).query.rendered()
    let first = try #require(payment(world, "paymentworkflow-0"))
    let second = try #require(payment(world, "paymentworkflow-1"))
    #expect(query.contains("RunId IN ('\(first.runID)')"))
    #expect(query.contains("TemporalWorkerDeploymentVersion = 'orders:v3'"))
    #expect(first.overrideBuild == nil && first.build == "v3")
    #expect(second.overrideBuild == "v3")
    // And the review is recorded with the reason the second run stays pinned
    let review = try #require(try reviews(world).last)
    #expect(review.count == 1 && review.chunkBuilds == ["v3"])
    #expect(review.leftPinned.map(\.workflowID) == ["paymentworkflow-1"])
    #expect(review.leftPinned.first?.reason?.contains("completed on orders:v2") == true)
  }

  @Test("Unpin run again takes what is left and sends nothing to a run already unpinned")
  func unpinRunAgainTakesWhatIsLeft() async throws {
    // Given an unpin that left the second Payment run pinned, whose task has since completed on v3
    let world = try await cleaned()
    world.cluster.completeTask(of: "paymentworkflow-0", on: "v3")
    _ = try await world.runner().unpin()
    world.cluster.completeTask(of: "paymentworkflow-1", on: "v3")
    // When salvage unpins again
    let stop = try await world.runner().unpin()
    // Then the second batch, under a new job id, names only the second run; the first run, with no
    // override, is counted as nothing to do
    let batches = unpinBatches(world)
    #expect(batches.count == 2)
    #expect(batches[0].job != batches[1].job)
    let second = try #require(payment(world, "paymentworkflow-1"))
    let first = try #require(payment(world, "paymentworkflow-0"))
    let query = try batches[1].query.rendered()
    #expect(query.contains(second.runID) && !query.contains(first.runID))
    #expect(second.overrideBuild == nil)
    #expect(
      stop
        == .unpinned(
          UnpinOutcome(builds: ["v1", "v3"], unpinned: 1, stayOnBuild: 1, leftPinned: 0, failed: 0))
    )
    #expect(try reviews(world).last?.noOverride == 1)
  }

  @Test("A child started under a pinned run inherited its override and is unpinned with it")
  func aChildThatInheritedTheOverrideIsUnpinnedToo() async throws {
    // Given a cleaned incident, and a child of the first Payment run started since, pinned to v3 by
    // the inherited override, its first task completed on v3
    let world = try await cleaned()
    world.cluster.completeTask(of: "paymentworkflow-0", on: "v3")
    let parent = try #require(payment(world, "paymentworkflow-0"))
    _ = world.cluster.add("RefundWorkflow", .running, count: 1, build: "v3", prefix: "refund")
    world.cluster.link("refund-0", parent: "paymentworkflow-0/\(parent.runID)")
    world.cluster.pinByOverride("refund-0", to: "v3")
    // When salvage unpins
    let stop = try await world.runner().unpin()
    // Then the child, found by its root's workflow id, is unpinned beside its parent
    #expect(payment(world, "refund-0")?.overrideBuild == nil)
    if case .unpinned(let done) = stop {
      #expect(done.unpinned == 2)
    } else {
      Issue.record("unpin ended with \(stop)")
    }
  }

  @Test("Unpin is refused until the incident is cleaned")
  func unpinIsRefusedUntilTheIncidentIsCleaned() async throws {
    // Given an incident recovering (Payment pinned to v3, the bad version not drained yet)
    let world = try RunbookInProcess()
    _ = try await world.runner().run(until: .recovering)
    // When salvage is asked to unpin
    let stop = try await world.runner().unpin()
    // Then it refuses, naming what comes next, and sends nothing
    #expect(stop == .notReady(asked: .unpin, next: .drain))
    #expect(unpinBatches(world).isEmpty)
  }

  @Test(
    "An unpin batch whose run died after the launch is settled by its job id and not sent again")
  func anUnpinBatchLaunchedBeforeACrashIsSettledByItsJobID() async throws {
    // Given an unpin whose run died after its batch started, before its outcome was recorded
    let world = try await cleaned()
    world.cluster.completeTask(of: "paymentworkflow-0", on: "v3")
    await #expect(throws: (any Error).self) {
      _ = try await world.runner(crashAt: (.afterCall, "unpin-r1-c0-1")).unpin()
    }
    // When salvage unpins again
    let stop = try await world.runner().unpin()
    // Then the action is recorded as having taken effect by its job id, the batch followed (what it
    // removed counted), and no second batch sent: the run it unpinned has no override left
    let state = try #require(try world.state)
    let action = try #require(state.progress.actions.first { $0.id == "unpin-r1-c0-1" })
    #expect(action.outcome == .tookEffect)
    #expect(unpinBatches(world).count == 1)
    #expect(payment(world, "paymentworkflow-0")?.overrideBuild == nil)
    #expect(
      stop
        == .unpinned(
          UnpinOutcome(builds: ["v1", "v3"], unpinned: 1, stayOnBuild: 0, leftPinned: 1, failed: 0))
    )
  }

  @Test("A type decided again keeps the overrides of its earlier rounds under review")
  func aTypeDecidedAgainKeepsItsEarlierRoundsBuildUnderReview() async throws {
    // Given a cleaned incident whose Payment runs were pinned to v3, the type decided again since
    // (to v4), and a task of each run completed on v3
    let world = try await cleaned()
    try world.decide(
      StrategyDecided(
        workflowType: "PaymentWorkflow", restartable: false, corrupted: false,
        strategy: .overrideToReplaySafe, targetBuild: "v4", source: .operatorDecision,
        rationale: "v4 next time"))
    world.cluster.completeTask(of: "paymentworkflow-0", on: "v3")
    world.cluster.completeTask(of: "paymentworkflow-1", on: "v3")
    // When salvage unpins
    let stop = try await world.runner().unpin()
    // Then v3, the build the round pinned them to, is reviewed, and both are unpinned
    #expect(
      stop
        == .unpinned(
          UnpinOutcome(builds: ["v1", "v3"], unpinned: 2, stayOnBuild: 2, leftPinned: 0, failed: 0))
    )
    #expect(payment(world, "paymentworkflow-0")?.overrideBuild == nil)
    #expect(payment(world, "paymentworkflow-1")?.overrideBuild == nil)
  }

  @Test("A grandchild started under a pinned run is found through its parent and unpinned")
  func aGrandchildIsFoundThroughItsParentAndUnpinned() async throws {
    // Given a cleaned incident, a child of the first Payment run and a child of that child, both
    // pinned to v3 by the inherited override with a task completed there
    let world = try await cleaned()
    world.cluster.completeTask(of: "paymentworkflow-0", on: "v3")
    let parent = try #require(payment(world, "paymentworkflow-0"))
    _ = world.cluster.add("RefundWorkflow", .running, count: 1, build: "v3", prefix: "refund")
    _ = world.cluster.add("NotifyWorkflow", .running, count: 1, build: "v3", prefix: "notify")
    let child = try #require(payment(world, "refund-0"))
    world.cluster.link("refund-0", parent: "paymentworkflow-0/\(parent.runID)")
    world.cluster.link("notify-0", parent: "refund-0/\(child.runID)")
    world.cluster.pinByOverride("refund-0", to: "v3")
    world.cluster.pinByOverride("notify-0", to: "v3")
    world.cluster.completeTask(of: "refund-0", on: "v3")
    world.cluster.completeTask(of: "notify-0", on: "v3")
    // When salvage unpins
    _ = try await world.runner().unpin()
    // Then the grandchild, whose parent salvage never recorded, is unpinned too
    #expect(payment(world, "refund-0")?.overrideBuild == nil)
    #expect(payment(world, "notify-0")?.overrideBuild == nil)
  }

  @Test("An unpin batch that fails as a whole is counted as failed, not as done")
  func anUnpinBatchThatFailsIsCountedAsFailed() async throws {
    // Given a cleaned incident whose first Payment run completed a task on v3, and a server whose
    // next batch fails as a whole
    let world = try await cleaned()
    world.cluster.completeTask(of: "paymentworkflow-0", on: "v3")
    world.cluster.failWholeBatches(1)
    // When salvage unpins
    let stop = try await world.runner().unpin()
    // Then the run it named is counted once as failed, and still carries its override
    #expect(
      stop
        == .unpinned(
          UnpinOutcome(builds: ["v1", "v3"], unpinned: 0, stayOnBuild: 1, leftPinned: 1, failed: 1))
    )
    #expect(payment(world, "paymentworkflow-0")?.overrideBuild == "v3")
  }
}
