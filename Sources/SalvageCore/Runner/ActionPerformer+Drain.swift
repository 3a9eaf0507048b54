extension RunbookRunner.ActionPerformer {
  /// Polls drainage until the gate holds: `drained`, checked after the last recovery that moved
  /// something, and nothing Running pinned to the bad build. When it stalls, the repeatable recoveries run again.
  mutating func drain(_ bad: WorkerDeploymentVersion) async throws
    -> RunbookRunner.StopReason?
  {
    let timing = dependencies.timing
    let pinnedRunning = pinnedRunning(bad)
    var waited = 0.0
    var sinceChange = 0.0
    var sinceProgress = 0.0
    var told = false
    var checks: [UTCTime] = []
    while true {
      let version = try await temporal.describeVersion(bad)
      let running = try await temporal.count(pinnedRunning)
      if let checkedAt = version.drainageCheckedAt, checks.last != checkedAt {
        checks.append(checkedAt)
      }
      let observed = DrainageObserved(
        drainage: version.drainage, checkedAt: version.drainageCheckedAt,
        runningPinned: running)
      if observed != state.progress.drainage {
        try record([.drainageObserved(observed)])
        sinceChange = 0
      }
      if state.phase == .drained {
        dependencies.notice(.drained(bad))
        return nil
      }
      if !told {
        dependencies.notice(
          .awaitingDrainage(
            bad, refresh: Int(timing.drainageRefresh), grace: Int(timing.drainageGrace),
            timeout: Int(timing.drainTimeout)))
        told = true
      }
      if running > 0, sinceChange >= timing.stall {
        dependencies.notice(.drainageStalled(seconds: Int(sinceChange)))
        for type in state.progress.identification?.runningTypes ?? [] {
          let left = try await recoveryScope(
            type, bad: bad, identified: try identifiedRunning(type))
          if !left.rounds.isEmpty, let outcome = try await recover(type, bad: bad) {
            return outcome
          }
        }
        sinceChange = 0
      }
      guard waited < timing.drainTimeout else {
        throw RunbookError.drainTimedOut(
          seconds: waited, observed, lastRecoveryAt: state.progress.lastRecoveryAt)
      }
      if sinceProgress >= 10 {
        dependencies.progress(.drainage(wait(observed, waited: waited, checks: checks)))
        sinceProgress = 0
      }
      try await dependencies.clock.sleep(for: .seconds(timing.poll))
      waited += timing.poll
      sinceProgress += timing.poll
      sinceChange += timing.poll
      try keepLease()
    }
  }

  /// The drain wait as the operator reads it, from the server's checks seen so far.
  func wait(_ observed: DrainageObserved, waited: Double, checks: [UTCTime]) -> DrainageWait {
    let seen = DrainageWait.refresh(seenIn: checks)
    return DrainageWait(
      status: observed.drainage, runningPinned: observed.runningPinned, waited: Int(waited),
      lastCheckedAgo: checks.last.map { max(dependencies.now().seconds(since: $0), 0) },
      refresh: seen ?? Int(dependencies.timing.drainageRefresh), refreshSeen: seen != nil)
  }
}

extension DrainageWait {
  /// The server's refresh as its checks show it: the last interval between the distinct check
  /// times seen, in order, once there are two intervals (the first may be the grace after the
  /// version left routing); `nil` before.
  public static func refresh(seenIn checks: [UTCTime]) -> Int? {
    guard checks.count >= 3 else { return nil }
    return checks[checks.count - 1].seconds(since: checks[checks.count - 2])
  }
}

extension UTCTime {
  /// Whole seconds from `earlier` to this time (negative when `earlier` is later).
  public func seconds(since earlier: UTCTime) -> Int {
    Int((millisecondsSinceEpoch - earlier.millisecondsSinceEpoch) / 1000)
  }
}

extension DrainageObserved {
  /// The drainage as a timeout names it, saying so when the `drained` check is older than the
  /// last recovery (the server does not check again once it reports `drained`).
  public func described(after lastRecovery: UTCTime?) -> String {
    guard drainage == .drained, let lastRecovery, let checkedAt, checkedAt <= lastRecovery else {
      return drainage.name
    }
    return "drained, but last checked at \(checkedAt), before the last recovery at \(lastRecovery)"
  }
}
