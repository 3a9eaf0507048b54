/// The executions salvage's recovery left pinned to a build by a Versioning Override: the runs an
/// override batch moved, the new runs a reset-with-move batch made, the runs a restart started, and
/// the new runs closed resets made (each reset and start carries a pinned override). A pinned
/// override is inherited by children, retries, continue-as-new and cron runs, and keeps those
/// executions on its build through later rollouts until it is removed.
public struct PinLeftBehind: Codable, Equatable, Sendable {
  /// The build the executions are pinned to; `nil` for closed runs of several restarting types
  /// whose target builds differ.
  public let build: String?
  /// How salvage pinned them.
  public let done: CompensationRow.Done
  /// How many, as the server and the journal counted them.
  public let executions: Int

  public init(build: String?, done: CompensationRow.Done, executions: Int) {
    self.build = build
    self.done = done
    self.executions = executions
  }
}

extension IncidentState {
  /// Every pin salvage's recovery left, by build and how, from the recorded outcomes: a batch's
  /// count of executions done, and the runs restarts and closed resets made. Largest first.
  public var pinsLeftBehind: [PinLeftBehind] {
    let progress = self.progress
    var counts: [PinKey: Int] = [:]
    for action in progress.actions where action.step == .recover && action.outcome?.isDone == true {
      let decision = progress.decision(of: action)
      // One-time overrides are cleared by the server once a task completed on the target.
      guard decision?.overrides != .oneTime else { continue }
      if let outcomes = progress.restarts[action.id] {
        let started = outcomes.filter { $0.result == .restarted }.count
        counts[PinKey(build: decision?.targetBuild, done: .restart), default: 0] += started
      } else if let batch = progress.batches[action.id], batch.finished {
        let done = CompensationRow.Done.byBatch(under: decision?.strategy)
        counts[PinKey(build: decision?.targetBuild, done: done), default: 0] += batch.complete
      }
    }
    // A closed run of a restarting type starts on its type's target: one build when they agree.
    let restartTargets = Set(
      progress.decisions.values.filter { $0.strategy.restarts }.map(\.targetBuild))
    let restartTarget = restartTargets.count == 1 ? restartTargets.first : nil
    for outcomes in progress.closedResets.values {
      let reset = outcomes.filter { $0.result == .reset }.count
      let restarted = outcomes.filter { $0.result == .restarted }.count
      counts[PinKey(build: details?.goodBuild, done: .reset), default: 0] += reset
      counts[PinKey(build: restartTarget, done: .restart), default: 0] += restarted
    }
    return counts.filter { $0.value > 0 }.map {
      PinLeftBehind(build: $0.key.build, done: $0.key.done, executions: $0.value)
    }.sorted {
      ($0.executions, $1.build ?? "", $1.done.rawValue) > (
        $1.executions, $0.build ?? "", $0.done.rawValue
      )
    }
  }
}

extension RunbookProgress {
  /// How salvage's overrides are made for `type`'s executions: pinned unless its decision chose
  /// one-time overrides.
  public func overrides(for type: String) -> OverrideKind {
    decisions[type]?.overrides ?? .pinned
  }

  /// The decision a recovery action acted under: the one in force when its intent was recorded,
  /// else its type's latest.
  public func decision(of action: Action) -> StrategyDecided? {
    roundDecisions[action.id] ?? action.subject.flatMap { decisions[$0] }
  }
}

private struct PinKey: Hashable {
  let build: String?
  let done: CompensationRow.Done
}

/// What `salvage unpin` has done so far: the overrides its batches removed, and the runs its
/// latest review left pinned.
public struct PinsRemoved: Codable, Equatable, Sendable {
  public let unpinned: Int
  public let leftPinned: Int
}

extension IncidentState {
  /// `nil` until `salvage unpin` recorded a review.
  public var pinsRemoved: PinsRemoved? {
    let progress = self.progress
    guard let latest = progress.overrideReviews.last else { return nil }
    let unpinned = progress.actions.filter { $0.step == .unpin }.reduce(0) {
      $0 + (progress.batches[$1.id]?.complete ?? 0)
    }
    return PinsRemoved(unpinned: unpinned, leftPinned: latest.review.leftPinnedCount)
  }
}
