/// What `salvage unpin` does with one execution it found on a build salvage pinned to, decided
/// from a describe of it alone.
///
/// Removing a Versioning Override sends an execution back to its own version: the one its last
/// Workflow Task completed on, with the behavior that worker reported. That version is rewritten
/// only when a task completes, so a run salvage pinned whose tasks have not completed since (an
/// idle one, or a reset whose replayed events ended on the bad build) would go back to the bad
/// build: those are left pinned, and a later `salvage unpin` takes them once a task completed.
/// A run whose worker reports AutoUpgrade moves with the deployment's routing once unpinned, so it
/// is unpinned only while that routing sends new work to the build it is pinned to (a replay-safe
/// build may be one the good build cannot take over from).
public enum OverrideVerdict: Equatable, Sendable {
  /// Remove the override. `staysOnBuild`: its own behavior is Pinned to the same build, so it stays
  /// there until it closes; otherwise (AutoUpgrade) it stays with the routing, which sends new
  /// work to that build.
  case unpin(staysOnBuild: Bool)
  /// It has no Versioning Override (already unpinned, or its one-time override was used up), or
  /// it is no longer Running: nothing to remove.
  case nothingToDo
  /// Leave the override in place, for the reason given.
  case leave(String)

  public static func of(
    _ run: WorkflowDescription, pinnedTo target: WorkerDeploymentVersion,
    bad: WorkerDeploymentVersion, routing: RolloutObserved
  ) -> OverrideVerdict {
    guard run.status == .running, let pinned = run.overrideVersion else { return .nothingToDo }
    guard pinned == target else {
      return .leave(
        "a Versioning Override pins it to \(pinned), not \(target): left to whoever set it")
    }
    guard let own = run.deploymentVersion else {
      return .leave(
        "no Workflow Task has completed since it was pinned, so it has no version of its own: "
          + "unpinned, it would go wherever the deployment routes new work")
    }
    if own == bad {
      return .leave(
        "its last Workflow Task completed on \(bad): unpinned, it would go back to the bad build; "
          + "unpin it once a task has completed on \(target)")
    }
    switch run.versioningBehavior {
    case .autoUpgrade:
      let routed = [routing.currentBuild, routing.rampingBuild].compactMap { $0 }
      guard !routed.isEmpty, routed.allSatisfy({ $0 == target.buildID }) else {
        return .leave(
          "its workers report AutoUpgrade: unpinned, it would follow the deployment's routing "
            + "(Current \(routing.currentBuild ?? "none")"
            + (routing.rampingBuild.map { ", Ramping \($0)" } ?? "")
            + ") away from \(target); unpin it once \(target.buildID) is Current")
      }
      return .unpin(staysOnBuild: false)
    case .pinned where own == target: return .unpin(staysOnBuild: true)
    case .pinned:
      return .leave(
        "its own version is \(own) (Pinned): unpinned, it would move there from \(target)")
    case nil:
      return .leave(
        "its last Workflow Task completed on \(own) with no versioning behavior (an unversioned "
          + "worker): unpinned, it would leave \(target)")
    }
  }
}
