import SalvageCore
import Testing

/// What `salvage unpin` decides for one described execution: unpin it only where, without the
/// override, it would not go back to the bad build.
@Suite struct OverrideVerdictTests {
  let bad = WorkerDeploymentVersion(deploymentName: "orders", buildID: "bad")
  let safe = WorkerDeploymentVersion(deploymentName: "orders", buildID: "safe")
  /// The deployment routes new work to the good build.
  let routing = RolloutObserved(currentBuild: "good", rampingBuild: nil, rampPercentage: 0)

  func run(
    status: ExecutionStatus = .running, behavior: VersioningBehavior?,
    own: WorkerDeploymentVersion?,
    override: WorkerDeploymentVersion?
  ) -> WorkflowDescription {
    WorkflowDescription(
      workflowID: "order-1", runID: "run-1", type: "OrderWorkflow", status: status,
      versioningBehavior: behavior, deploymentVersion: own, overrideVersion: override,
      resetRunID: nil, pendingTaskAttempt: nil)
  }

  @Test(
    "A run whose own version is Pinned to the build it is pinned to is unpinned and stays there")
  func aRunPinnedByItsOwnBehaviorToTheSameBuildIsUnpinnedAndStays() {
    // Given a run pinned to safe whose last task completed on safe, reported Pinned
    let described = run(behavior: .pinned, own: safe, override: safe)
    // When it is judged
    let verdict = OverrideVerdict.of(described, pinnedTo: safe, bad: bad, routing: routing)
    // Then it is unpinned, staying on its build
    #expect(verdict == .unpin(staysOnBuild: true))
  }

  @Test("An AutoUpgrade run is unpinned only while the routing sends new work to its build")
  func anAutoUpgradeRunIsUnpinnedOnlyWhileRoutingSendsWorkToItsBuild() {
    // Given a run pinned to safe whose workers report AutoUpgrade
    let described = run(behavior: .autoUpgrade, own: safe, override: safe)
    // When Current is good (safe was a replay-safe build good cannot take over from), or safe
    let onGood = OverrideVerdict.of(described, pinnedTo: safe, bad: bad, routing: routing)
    let onSafe = OverrideVerdict.of(
      described, pinnedTo: safe, bad: bad,
      routing: RolloutObserved(currentBuild: "safe", rampingBuild: nil, rampPercentage: 0))
    let rampingElsewhere = OverrideVerdict.of(
      described, pinnedTo: safe, bad: bad,
      routing: RolloutObserved(currentBuild: "safe", rampingBuild: "next", rampPercentage: 10))
    // Then it stays pinned while routing would move it away, saying where, and is unpinned once
    // safe takes all new work
    guard case .leave(let reason) = onGood else {
      Issue.record("expected leave, got \(onGood)")
      return
    }
    #expect(reason.contains("Current good") && reason.contains("away from orders:safe"))
    #expect(onSafe == .unpin(staysOnBuild: false))
    guard case .leave = rampingElsewhere else {
      Issue.record("expected leave while next ramps, got \(rampingElsewhere)")
      return
    }
  }

  @Test("A run whose last task completed on the bad build stays pinned, saying it would go back")
  func aRunWhoseLastTaskCompletedOnTheBadBuildStaysPinned() {
    // Given a run salvage pinned to safe that has completed no task since (its own version is bad)
    let verdict = OverrideVerdict.of(
      run(behavior: .pinned, own: bad, override: safe), pinnedTo: safe, bad: bad, routing: routing)
    // Then it is left pinned, and the reason names the bad build and the way out
    guard case .leave(let reason) = verdict else {
      Issue.record("expected leave, got \(verdict)")
      return
    }
    #expect(reason.contains("completed on orders:bad"))
    #expect(reason.contains("once a task has completed on orders:safe"))
  }

  @Test("A run with no version of its own yet stays pinned")
  func aRunWithNoVersionOfItsOwnStaysPinned() {
    // Given a run salvage started pinned to safe whose first task has not completed
    let verdict = OverrideVerdict.of(
      run(behavior: nil, own: nil, override: safe), pinnedTo: safe, bad: bad, routing: routing)
    // Then it is left pinned: unpinned it would go wherever the deployment routes
    guard case .leave(let reason) = verdict else {
      Issue.record("expected leave, got \(verdict)")
      return
    }
    #expect(reason.contains("no version of its own"))
  }

  @Test("A run someone pinned to another build is left to whoever pinned it")
  func aRunPinnedElsewhereIsLeftAlone() {
    let other = WorkerDeploymentVersion(deploymentName: "orders", buildID: "hotfix")
    guard
      case .leave(let reason) = OverrideVerdict.of(
        run(behavior: .pinned, own: safe, override: other), pinnedTo: safe, bad: bad,
        routing: routing)
    else {
      Issue.record("expected leave")
      return
    }
    #expect(reason.contains("pins it to orders:hotfix, not orders:safe"))
  }

  @Test("A run with no override, or closed, is nothing to do")
  func aRunWithNoOverrideOrClosedIsNothingToDo() {
    #expect(
      OverrideVerdict.of(
        run(behavior: .pinned, own: safe, override: nil), pinnedTo: safe, bad: bad,
        routing: routing)
        == .nothingToDo)
    #expect(
      OverrideVerdict.of(
        run(status: .completed, behavior: .pinned, own: safe, override: safe), pinnedTo: safe,
        bad: bad, routing: routing) == .nothingToDo)
  }
}
