public import SalvageCore
import Synchronization

/// The server's own clocks, as knobs: drainage refreshed on a timer with a grace period, and
/// pollers remembered for a while after they stopped. Both are off until a test turns them on.
extension ScriptedCluster {
  /// The bad version's drainage as a production server keeps it (1.31+): recorded, not computed
  /// on each read. It is checked `grace` seconds after the version left routing, then every
  /// `refreshEvery` seconds (`last_checked_time` moves at each check, `last_changed_time` when
  /// the status changes), and reports `drained` only at a check that finds nothing Running
  /// pinned to it (through visibility, lag and all) and `grace` seconds past the last moment
  /// something was. Once drained it is not checked again, until something is pinned to it again:
  /// then it is `draining` at once and the checks start over. A delete is refused while it is
  /// `draining`, whatever is Running, as the server's is. Production: 180 s and 180 s.
  public func drainage(refreshEvery: Double, grace: Double) {
    world.withLock {
      $0.drainageClock = DrainageClock(
        refreshEvery: Int64(refreshEvery * 1000), grace: Int64(grace * 1000))
    }
  }

  /// Pollers stopped (by ``stopPollers(_:)`` or left out by ``setPollers(_:)``) stay listed, and
  /// keep a delete refused, for `seconds` of server time after their last poll, as the server
  /// remembers a task queue's pollers (5 minutes in production).
  public func rememberPollers(for seconds: Double) {
    world.withLock { $0.pollerTTL = Int64(seconds * 1000) }
  }

  /// The workers `identities` (all of them when `nil`) stop polling the bad version now.
  public func stopPollers(_ identities: [String]? = nil) {
    world.withLock { world in
      let stopping = identities ?? world.pollers
      world.noteStopped(stopping)
      world.pollers.removeAll { stopping.contains($0) }
    }
  }

  /// A controller (`identity`) manages the deployment now, or nobody when `nil`: only it may
  /// change the deployment from then on.
  public func manage(as identity: String?) {
    world.withLock { $0.manager = identity }
  }

  /// The deployment's manager identity now.
  public var manager: String? { world.withLock { $0.manager } }

  /// The one worker of `build` (not the bad build) stops polling now: listed with its last poll
  /// while the server remembers pollers (``rememberPollers(for:)``), then not at all.
  public func stopWorker(of build: String) {
    world.withLock { $0.stoppedBuilds[build] = $0.serverTime }
  }

  /// Server time moves on by `seconds` with no call made (a person waits before running again),
  /// the server doing meanwhile what it does on its own.
  public func advance(seconds: Double) {
    world.withLock { world in
      settle(&world)
      if world.visibilityLag > 0 { world.snapshots.append((world.serverTime, world.executions)) }
      world.serverTime += Int64(seconds * 1000)
      settle(&world)
    }
  }

  /// When each poller the server lists for the bad version last polled: now for a live one.
  public var pollerLastAccess: [String: UTCTime] {
    world.withLock { world in world.listedPollers.mapValues { UTCTime(millisecondsSinceEpoch: $0) }
    }
  }

  /// Every delete of a version that took effect, with what the server knew then.
  public var deletions: [VersionDeletion] { world.withLock { $0.deletions } }

  /// A version's delete that took effect: when, its drainage as the server recorded it, and how
  /// many Running runs were pinned to it (none, unless a stale `drained` let it through).
  public struct VersionDeletion: Equatable, Sendable {
    public let build: String
    public let at: UTCTime
    public let drainage: DrainageStatus
    public let pinnedRunning: Int
  }

  /// The bad version's drainage, its clocks and its checks.
  struct DrainageClock {
    let refreshEvery: Int64
    let grace: Int64
    var status: DrainageStatus = .unspecified
    var changedAt: Int64?
    var checkedAt: Int64?
    /// When the next check is due; `nil` while routed to or once drained.
    var nextCheck: Int64?
    /// The last server time something Running was pinned to the version.
    var pinnedSeenAt: Int64?

    mutating func set(_ new: DrainageStatus, at now: Int64) {
      if status != new { changedAt = now }
      status = new
      checkedAt = now
    }
  }
}

extension ScriptedCluster.World {
  /// The drainage clock's work for the second that just began (each call's tick runs it).
  mutating func advanceDrainage(bad: String) {
    guard var clock = drainageClock else { return }
    defer { drainageClock = clock }
    let now = serverTime
    let pinned = { (runs: [ScriptedCluster.Execution]) in
      runs.contains { $0.build == bad && $0.status == .running }
    }
    if pinned(executions) { clock.pinnedSeenAt = now }
    if current == bad || ramping == bad {
      // Routed to again: the server clears its drainage info.
      clock = ScriptedCluster.DrainageClock(refreshEvery: clock.refreshEvery, grace: clock.grace)
      return
    }
    if clock.status == .unspecified || (clock.status == .drained && pinned(executions)) {
      // Left routing, or something was pinned to it again after it drained: draining, checked
      // after the grace period.
      clock.set(.draining, at: now)
      clock.nextCheck = now + clock.grace
      return
    }
    guard clock.status == .draining, var at = clock.nextCheck, at <= now else { return }
    // The latest check due by now (a server that was not asked for a while checked all along).
    while at + clock.refreshEvery <= now { at += clock.refreshEvery }
    let quiet = clock.pinnedSeenAt.map { at - $0 >= clock.grace } ?? true
    if !pinned(visible) && quiet {
      clock.set(.drained, at: at)
      clock.nextCheck = nil
    } else {
      clock.checkedAt = at
      clock.nextCheck = at + clock.refreshEvery
    }
  }

  /// The pollers the server lists, with when each last polled: live ones now, stopped ones while
  /// remembered.
  var listedPollers: [String: Int64] {
    var listed = stoppedPollers.filter { serverTime - $0.value < pollerTTL }
    for identity in pollers { listed[identity] = serverTime }
    return listed
  }

  /// Remembers `identities` as stopped now (only while a TTL is set).
  mutating func noteStopped(_ identities: [String]) {
    guard pollerTTL > 0 else { return }
    for identity in identities where pollers.contains(identity) {
      stoppedPollers[identity] = serverTime
    }
  }
}
