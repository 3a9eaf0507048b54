import SalvageCore
import Testing

/// What `salvage unpin` decides for one described execution: unpin it only where, without the
/// override, it would not go back to the bad build (issue 20, item 5).
@Suite struct OverrideVerdictTests {
  let bad = WorkerDeploymentVersion(deploymentName: "orders", buildID: "bad")
  let safe = WorkerDeploymentVersion(deploymentName: "orders", buildID: "safe")

  func run(
    status: ExecutionStatus = .running, behavior: String?, own: WorkerDeploymentVersion?,
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
    let described = run(behavior: "pinned", own: safe, override: safe)
    // When it is judged
    let verdict = OverrideVerdict.of(described, pinnedTo: safe, bad: bad)
    // Then it is unpinned, staying on its build
    #expect(verdict == .unpin(staysOnBuild: true))
  }

  @Test("A run whose worker reports AutoUpgrade is unpinned and follows the routing")
  func anAutoUpgradeRunIsUnpinnedAndFollowsRouting() {
    #expect(
      OverrideVerdict.of(
        run(behavior: "VERSIONING_BEHAVIOR_AUTO_UPGRADE", own: safe, override: safe),
        pinnedTo: safe, bad: bad) == .unpin(staysOnBuild: false))
  }

  @Test("A run whose last task completed on the bad build stays pinned, saying it would go back")
  func aRunWhoseLastTaskCompletedOnTheBadBuildStaysPinned() {
    // Given a run salvage pinned to safe that has completed no task since (its own version is bad)
    let verdict = OverrideVerdict.of(
      run(behavior: "pinned", own: bad, override: safe), pinnedTo: safe, bad: bad)
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
      run(behavior: nil, own: nil, override: safe), pinnedTo: safe, bad: bad)
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
        run(behavior: "pinned", own: safe, override: other), pinnedTo: safe, bad: bad)
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
        run(behavior: "pinned", own: safe, override: nil), pinnedTo: safe, bad: bad)
        == .nothingToDo)
    #expect(
      OverrideVerdict.of(
        run(status: .completed, behavior: "pinned", own: safe, override: safe), pinnedTo: safe,
        bad: bad) == .nothingToDo)
  }
}
