/// The one rule of a stop change: it is sent only while the deployment still routes as the
/// observation it was decided on said, so a change someone made since (a roll-forward by hand, a
/// ramp moved) is never overwritten. Every client checks it on the describe whose conflict token
/// the change carries; a change made after that describe is refused by the server itself.
extension TemporalChange {
  /// The routing (and manager) a stop change or a manager change was decided on; `nil` for every
  /// other change.
  public var routingReplaced: RolloutObserved? {
    switch self {
    case .setCurrentVersion(_, let observed), .setRampingVersion(_, _, let observed),
      .removeRamp(_, let observed), .setManager(_, _, let observed):
      observed
    default: nil
    }
  }

  /// Throws ``TemporalError/routingChanged(since:now:)`` when the deployment, as `described` now,
  /// no longer routes as this stop change's observation said.
  public func checkRouting(against described: DeploymentDescription) throws(TemporalError) {
    guard let observed = routingReplaced else { return }
    let now = RolloutObserved(described)
    guard now == observed else { throw .routingChanged(since: observed, now: now) }
  }
}

extension RolloutObserved {
  /// The routing a describe shows.
  public init(_ described: DeploymentDescription) {
    self.init(
      currentBuild: described.currentBuildID, rampingBuild: described.rampingBuildID,
      rampPercentage: described.rampPercentage, managerIdentity: described.managerIdentity)
  }

  /// `Current v2, no ramp`, or `Current v1, v2 ramping at 40 %`, and `, managed by 'c'` when a
  /// manager identity is set.
  public var routing: String {
    let current = currentBuild.map { "Current \($0)" } ?? "no Current Version"
    let managed = managerIdentity.map { ", managed by '\($0)'" } ?? ""
    guard let rampingBuild else { return current + ", no ramp" + managed }
    let percentage =
      rampPercentage == rampPercentage.rounded() ? String(Int(rampPercentage)) : "\(rampPercentage)"
    return current + ", \(rampingBuild) ramping at \(percentage) %" + managed
  }
}

extension RolloutObserved {
  /// The routing after `change`, as the server applies it: a new Current (a ramp of that build
  /// ends with it), a ramp set, a ramp removed, a manager set. `nil` for a change that does not
  /// route. The one rule the dry run's planner and the in-process cluster both follow.
  public func after(_ change: TemporalChange) -> RolloutObserved? {
    var (current, ramping, percentage, manager) =
      (currentBuild, rampingBuild, rampPercentage, managerIdentity)
    switch change {
    case .setCurrentVersion(let version, _):
      current = version.buildID
      if ramping == version.buildID { (ramping, percentage) = (nil, 0) }
    case .setRampingVersion(let version, let ramp, _):
      (ramping, percentage) = (version.buildID, ramp)
    case .removeRamp: (ramping, percentage) = (nil, 0)
    case .setManager(_, let to, _): manager = to
    default: return nil
    }
    return RolloutObserved(
      currentBuild: current, rampingBuild: ramping, rampPercentage: percentage,
      managerIdentity: manager)
  }
}
