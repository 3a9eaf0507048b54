import Foundation
import GRDB
import SalvageCore
import SalvageFakes
import SalvageJournal
import Synchronization
import Testing

/// A whole bad rollout in process: a ``ScriptedCluster`` with stuck and closed runs on the bad
/// build v2, a journal (in memory, or a file with `onDisk`) with the incident opened and decided,
/// and runners over both, any number of them in a row on the same database (as runs after a crash
/// are).
final class RunbookInProcess {
  let directory: TemporaryDirectory
  /// The journal file when `onDisk`; unused otherwise.
  let path: String
  /// The in-memory database every ``open()`` shares, unless `onDisk`.
  private let memory: DatabaseQueue?
  let incident = IncidentID(rawValue: "orders-1")!
  let crash = CrashSwitch()
  let cluster: ScriptedCluster
  /// The journal's clock against the server's: tests skew it.
  let skew: Int64
  private let ids = EventIDs()

  /// The stuck runs (OrderWorkflow to reset onto v1, PaymentWorkflow to move to v3) and the closed
  /// ones (FailWorkflow Failed, TimeoutWorkflow TimedOut), plus a Completed run that is no target.
  /// With `ramp`, the bad build ramps at 40 % beside v1 instead of being Current. With `sharing`,
  /// this is another journal on that world's cluster: an incident of the same name opened apart
  /// (its opening made from `openingSeed`), and nothing added to the cluster.
  init(
    sharing other: RunbookInProcess? = nil, openingSeed: UInt64 = 3,
    skewMinutes: Int64 = 0, stuck: Int = 3, closed: Int = 5, batchLooks: Int = 2,
    ramp: Bool = false, visibilityLag: Double = 0, longRunIDs: Bool = false,
    onDisk: Bool = false
  ) throws {
    directory = try TemporaryDirectory("salvage-inprocess")
    path = directory.path("journal.sqlite")
    memory = onDisk ? nil : try DatabaseQueue()
    skew = skewMinutes * 60_000
    if let other {
      cluster = other.cluster
    } else {
      cluster = ScriptedCluster(current: ramp ? "v1" : "v2", batchLooks: batchLooks, crash: crash)
      if ramp { cluster.setRamping("v2", percentage: 40) }
      if longRunIDs { cluster.useLongRunIDs() }
      if visibilityLag > 0 { cluster.lagVisibility(seconds: visibilityLag) }
      cluster.add("OrderWorkflow", .running, count: stuck)
      cluster.add("PaymentWorkflow", .running, count: 2)
      cluster.add("FailWorkflow", .failed, count: closed - 1)
      cluster.add("TimeoutWorkflow", .timedOut, count: 1)
      cluster.add("ReportWorkflow", .completed, count: 1)
    }
    let journal = try open()
    var factory = EventFactory(seed: openingSeed)
    _ = try journal.append(
      [
        factory.pending(EventFactory.opened),
        factory.pending(
          .strategyDecided(
            StrategyDecided(
              workflowType: "OrderWorkflow", restartable: true, corrupted: false,
              strategy: .resetToGoodBuild,
              targetBuild: "v1", source: .operatorDecision, rationale: "stateless"))),
        factory.pending(
          .strategyDecided(
            StrategyDecided(
              workflowType: "PaymentWorkflow", restartable: false, corrupted: false,
              strategy: .overrideToReplaySafe,
              targetBuild: "v3", source: .operatorDecision, rationale: "v3 is replay-safe"))),
      ], to: incident, expectedVersion: 0, actor: "alice")
  }

  deinit { directory.remove() }

  func open() throws -> SQLiteEventJournal {
    let cluster = self.cluster
    let skew = self.skew
    let now: @Sendable () -> UTCTime = {
      UTCTime(millisecondsSinceEpoch: cluster.now.millisecondsSinceEpoch + skew)
    }
    if let memory { return try SQLiteEventJournal(memory, now: now) }
    return try SQLiteEventJournal(path: path, create: true, now: now)
  }

  /// A runner as a fresh process makes it; `crashAt` trips the crash switch at that boundary of
  /// that action, so nothing after it reaches the journal or the cluster. `pollerWait` (runner
  /// seconds, 0.01 a look) overrides how long it waits for pollers to go.
  func runner(
    crashAt: (RunbookRunner.Boundary, String)? = nil, chunkSize: Int = 2,
    callsPerSecond: Double = 150, concurrency: Int = 16,
    clock: any Clock<Duration> = InstantClock(), lease: LeaseTerms? = nil,
    pollerWait: Double? = nil, drainTimeout: Double? = nil, poll: Double = 0.01,
    claimManager: Bool = false, refusalPatience: Double? = nil,
    notice: @escaping @Sendable (RunbookRunner.Notice) -> Void = { _ in },
    progress: @escaping @Sendable (RunbookRunner.Progress) -> Void = { _ in }
  ) throws -> RunbookRunner {
    crash.reset()
    let crash = self.crash
    var timing = RunbookRunner.Timing()
    timing.chunkSize = chunkSize
    timing.callsPerSecond = callsPerSecond
    timing.concurrency = concurrency
    timing.poll = poll
    timing.firstPoll = 0.01
    if let pollerWait { timing.pollerWait = pollerWait }
    if let drainTimeout { timing.drainTimeout = drainTimeout }
    if let refusalPatience { timing.refusalPatience = refusalPatience }
    let ids = self.ids
    let cluster = self.cluster
    return RunbookRunner(
      journal: CrashableJournal(try open(), crash: crash), temporal: cluster, incident: incident,
      actor: "alice",
      dependencies: .init(
        newEventID: { ids.next() }, notice: notice, progress: progress,
        boundary: { boundary, id in
          if let crashAt, crashAt.0 == boundary, crashAt.1 == id { crash.trip() }
        },
        clock: clock, now: { cluster.now }, timing: timing, lease: lease,
        claimManager: claimManager))
  }

  var state: IncidentState? { get throws { try open().state(of: incident) } }

  /// Run ids of the executions added at first, by type.
  func runIDs(_ type: String) -> [String] {
    cluster.executions.filter { $0.type == type && $0.resetFrom == nil }.map(\.runID)
  }
}

extension RunbookInProcess {
  /// Records `decision` as an operator's `salvage decide` would, after everything recorded so far.
  func decide(_ decision: StrategyDecided) throws {
    let journal = try open()
    let version = try #require(try journal.state(of: incident)?.version)
    var factory = EventFactory(seed: 11 + UInt64(version))
    _ = try journal.append(
      [factory.pending(.strategyDecided(decision))], to: incident, expectedVersion: version,
      actor: "alice")
  }

  /// Every drainage observation the journal holds, oldest first.
  var drainageObservations: [DrainageObserved] {
    get throws {
      try open().events(of: incident).compactMap {
        if case .drainageObserved(let observed) = $0.event { observed } else { nil }
      }
    }
  }

  /// The identities of every pollers check the journal holds, oldest first.
  var pollerChecks: [[String]] {
    get throws { try pollersChecked.map(\.identities) }
  }

  /// Every poller check the journal holds, oldest first.
  var pollersChecked: [PollersChecked] {
    get throws {
      try open().events(of: incident).compactMap {
        if case .pollersChecked(let checked) = $0.event { checked } else { nil }
      }
    }
  }
}
