public import SalvageCore
import Synchronization

/// A Temporal cluster in memory, for the fast crash matrix (docs/design.md §9): one deployment's routing and
/// versions; Workflow Executions that visibility queries select; batches under job ids it refuses
/// to start twice, running for a few looks before they finish; drainage computed from what is still
/// Running on the bad build (sticky once drained, as the server's is; or on the server's clocks,
/// see ``drainage(refreshEvery:grace:)``); pollers; and closed runs
/// that each reset replaces with a new run. Server time moves one second a call.
///
/// Strict where the real server is lenient: a reset is never de-duplicated, so sending one twice
/// shows as two new runs. Once its ``CrashSwitch`` trips, every call throws, as for a dead process.
public final class ScriptedCluster: TemporalClient {
  public struct Execution: Equatable, Sendable {
    public var workflowID: String
    public var runID: String
    public var type: String
    public var status: ExecutionStatus
    /// The build the run is pinned to in the deployment, if any.
    public var build: String?
    public var hasProblems: Bool
    /// Set once the run was reset: the run that reset made.
    public var resetRunID: String?
    /// The run this one was made from by a reset.
    public var resetFrom: String?
    /// The request ids the run has seen (its start's, for a run salvage started again).
    public var requestIDs: Set<String> = []
    /// The parent of a child run (`workflowID/runID`).
    public var parent: String?
    /// Completion callbacks (a Nexus-started run has some).
    public var callbacks = 0
    /// What its first event holds, standing for the input and the rest.
    public var input = ""
    /// The build a Versioning Override pins it to (salvage's, or someone else's): ``build`` then
    /// follows it, as the server's search attributes do.
    public var overrideBuild: String?
    /// While an override is set: the build the run's last Workflow Task completed on (its own
    /// version, which it falls back to when the override is removed), `nil` when none has
    /// completed. Describes report it, as the server's `versioning_info.deployment_version`.
    public var baseBuild: String?
    /// For a run a reset made: who asked for the reset, why, and when (server time).
    public var resetOrigin: ResetOrigin?
    /// For a run someone started by hand: their client's identity, and when (server time).
    public var startedBy: String?
    public var startedAt: Int64?
    /// For a run that continues another (continue-as-new): that run.
    public var continuedFrom: String?
  }

  struct Batch {
    var job: BatchJob
    /// Looks left before it reports finished.
    var looksLeft: Int
  }

  struct World {
    var current: String?
    var ramping: String?
    var percentage: Double = 0
    var builds: [String]
    var executions: [Execution] = []
    var batches: [BatchJobID: Batch] = [:]
    var pollers: [String] = []
    var serverTime: Int64
    var drainedCheckedAt: Int64?
    var nextRun = 0
    /// Per Workflow Type: how many of its executions each of the next batches fails on, and for how many batches.
    var batchFailures: [String: (each: Int, batches: Int)] = [:]
    /// Batches that fail as a whole before touching anything, by Workflow Type in their query.
    var failWholeBatches = 0
    /// Runs whose next reset the server refuses, with its message.
    var refuseReset: [String: String] = [:]
    /// A crash mid-call: the n-th change of an action, delivered to the server or lost on the way.
    var midCall: (action: String, nth: Int, delivered: Bool)?
    var callsOfAction: [String: Int] = [:]
    var changes: [TemporalChange] = []
    /// What the server says its release is.
    var serverRelease = "1.32.0"
    /// The context each change was sent with, in order.
    var contexts: [ChangeContext] = []
    var deploymentDescribes = 0
    /// Whether a batch reset names the new run on the run it terminated (the server's `reset_run_id`).
    var batchResetsNameNewRun = true
    /// Whether run ids are as long as the server's (36-character UUIDs) rather than 6 digits.
    var longRunIDs = false
    /// Workflow Types whose name visibility cannot match by equality (a name holding quotes).
    var unmatchableTypes: Set<String> = []
    /// How far behind the server visibility answers, in server milliseconds (0: at once).
    var visibilityLag: Int64 = 0
    /// What the executions were at each call's start, oldest first, while visibility lags.
    var snapshots: [(at: Int64, executions: [Execution])] = []
    /// The batch launch of this action whose answer is lost, and how late it then starts.
    var lateLaunch: (action: String, seconds: Int64)?
    /// Runs whose next reset's answer is lost, how late a reset then takes effect, and, when it
    /// is someone else's instead of the lost one, as whom.
    var lateResets: [String: (delay: Int64, instead: ChangeContext?)] = [:]
    /// Batch launches (and resets) the server took but has not carried out yet, with when.
    var pendingLaunches: [(startAt: Int64, change: TemporalChange, context: ChangeContext)] = []
    /// Workflow ids whose first event cannot be read (the history service refuses it).
    var unreadableFirstEvents: Set<String> = []
    /// Every history read fails so after this many more have answered (the server out of reach).
    var historyOutage: (after: Int, error: TemporalError)?
    var historyReadsFailed = 0
    /// Workflow ids whose runs' reset origin cannot be read (the history read fails).
    var unreadableResetOrigins: Set<String> = []
    /// Every n-th per-run change is refused by the namespace's rate limit before it acts.
    var rateLimitEvery = 0
    /// What refuses every `rateLimitEvery`-th per-run change before it acts.
    var perRunRefusal = TemporalError.rateLimited(
      call: "ResetWorkflowExecution", message: "namespace rate limit exceeded")
    var perRunCalls = 0
    /// While this says so, every per-run change is refused by the namespace's rate limit.
    var throttled: (@Sendable () -> Bool)?
    /// The same for describes of one run, counted.
    var throttledReads: (@Sendable () -> Bool)?
    var refusedReads = 0
    /// Something that happens elsewhere once the n-th per-run change has taken effect.
    var afterRunChange: (nth: Int, happen: @Sendable () -> Void)?
    var runChanges = 0
    /// The n-th per-run change takes effect but its answer is lost (a deadline passes).
    var loseAnswerOfRunChange: Int?
    /// The bad version's drainage on the server's clocks, once ``drainage(refreshEvery:grace:)``
    /// turned them on; computed on each read otherwise.
    var drainageClock: DrainageClock?
    /// How long stopped pollers stay listed, in server milliseconds (0: gone at once).
    var pollerTTL: Int64 = 0
    /// Pollers that stopped while a TTL was set, with when.
    var stoppedPollers: [String: Int64] = [:]
    /// The deployment's manager identity (a controller's), when one is set.
    var manager: String?
    /// Builds other than the bad one whose worker stopped, with when (see ``stopWorker(of:)``).
    var stoppedBuilds: [String: Int64] = [:]
    var deletions: [VersionDeletion] = []
  }

  public let deployment: String
  public let bad: String
  public let crash: CrashSwitch
  /// Looks a batch takes to finish (the first look after the launch counts).
  public let batchLooks: Int
  let world: Mutex<World>

  public init(
    deployment: String = "orders", current: String = "v2", builds: [String] = ["v1", "v2", "v3"],
    bad: String = "v2",
    serverTime: UTCTime = UTCTime(millisecondsSinceEpoch: 1_800_000_000_000), batchLooks: Int = 2,
    crash: CrashSwitch = CrashSwitch()
  ) {
    self.deployment = deployment
    self.bad = bad
    self.crash = crash
    self.batchLooks = batchLooks
    world = Mutex(
      World(current: current, builds: builds, serverTime: serverTime.millisecondsSinceEpoch))
  }

  // MARK: Setting the scene

  /// Adds `count` executions of `type` in `status`, pinned to `build` (default: the bad one).
  @discardableResult
  public func add(
    _ type: String, _ status: ExecutionStatus, count: Int, build: String? = nil,
    prefix: String? = nil
  )
    -> [String]
  {
    world.withLock { world in
      (0..<count).map { index in
        world.nextRun += 1
        let id = "\(prefix ?? type.lowercased())-\(index)"
        var added = Execution(
          workflowID: id, runID: world.runID(world.nextRun), type: type, status: status,
          build: build ?? bad,
          hasProblems: status == .running)
        // Started by the application's own client, as its first event records.
        (added.startedBy, added.startedAt) = ("orders-app@app-host", world.serverTime)
        world.executions.append(added)
        return id
      }
    }
  }

  /// Routing: `build` ramping at `percentage` beside the Current Version.
  public func setRamping(_ build: String, percentage: Double) {
    world.withLock { ($0.ramping, $0.percentage) = (build, percentage) }
  }

  /// Makes the run of `workflowID` a child of `parent`, or a Nexus-started run with `callbacks`.
  public func link(_ workflowID: String, parent: String? = nil, callbacks: Int = 0) {
    world.withLock { world in
      for index in world.executions.indices where world.executions[index].workflowID == workflowID {
        world.executions[index].parent = parent
        world.executions[index].callbacks = callbacks
      }
    }
  }

  /// The run of `workflowID` ends in `status` on its own (completes, fails), as a worker would.
  public func end(_ workflowID: String, as status: ExecutionStatus) {
    world.withLock { world in
      if let index = world.executions.lastIndex(where: { $0.workflowID == workflowID }) {
        world.executions[index].status = status
      }
    }
  }

  /// Workers polling the bad version; those left out stop now (see ``rememberPollers(for:)``).
  public func setPollers(_ identities: [String]) {
    world.withLock { world in
      world.noteStopped(world.pollers.filter { !identities.contains($0) })
      world.pollers = identities
      for identity in identities { world.stoppedPollers[identity] = nil }
    }
  }
  /// The next `batches` batches that select `type` each fail on `each` of its executions.
  public func failBatches(on type: String, each: Int, batches: Int = 1) {
    world.withLock { $0.batchFailures[type] = (each, batches) }
  }
  /// The next `count` batches fail as a whole: state FAILED, no counts, nothing touched.
  public func failWholeBatches(_ count: Int) { world.withLock { $0.failWholeBatches = count } }
  /// Batch resets terminate the runs they replace without naming the new run on them, as a
  /// terminate-and-start by hand would: only a newer current run tells them apart from targets.
  public func batchResetsLeaveNoResetRunID() { world.withLock { $0.batchResetsNameNewRun = false } }
  /// The server refuses the next reset of `runID` with `message`.
  public func refuseReset(of runID: String, _ message: String) {
    world.withLock { $0.refuseReset[runID] = message }
  }
  /// Run ids made from now on are 36 characters long, as the server's UUIDs are, so a query
  /// naming a few thousand of them is as long as it would be against a real cluster.
  public func useLongRunIDs() { world.withLock { $0.longRunIDs = true } }

  /// Visibility matches no execution of `type` by `WorkflowType = '…'`, as the server's matches no
  /// name it cannot parse back (a Workflow Type holding a double quote).
  public func makeTypeUnmatchable(_ type: String) {
    world.withLock { $0.unmatchableTypes.insert(type) }
  }

  /// Visibility (counts, lists, and the batches' selections) answers from the executions as they
  /// were `seconds` of server time ago, as a production cluster's visibility store lags behind its
  /// history. Describes and histories stay exact.
  public func lagVisibility(seconds: Double) {
    world.withLock { $0.visibilityLag = Int64(seconds * 1000) }
  }

  /// The batch launch of `action` times out on the way back (`DEADLINE_EXCEEDED`), and the server
  /// starts the batch `seconds` of server time later, as a busy frontend that queued it would.
  public func startLate(action: String, afterSeconds seconds: Double) {
    world.withLock { $0.lateLaunch = (action, Int64(seconds * 1000)) }
  }

  /// Someone resets the run `runID` by hand (with the `temporal` CLI), onto `build`, giving
  /// `reason`.
  public func resetByHand(_ runID: String, onto build: String, reason: String) {
    world.withLock { world in
      guard let index = world.executions.firstIndex(where: { $0.runID == runID }) else { return }
      _ = makeReset(
        of: index, pinTo: build,
        origin: ResetOrigin(
          identity: nil, reason: reason, at: UTCTime(millisecondsSinceEpoch: world.serverTime)),
        in: &world)
    }
  }

  /// Someone (`identity`, their client's) terminates the current run of `workflowID` and starts
  /// it again by hand, on `build`, as `temporal workflow terminate` then `start` would.
  public func restartByHand(_ workflowID: String, onto build: String, identity: String) {
    startNextRun(of: workflowID, closingAs: .terminated) { old, next, now in
      (next.build, next.hasProblems) = (build, false)
      (next.startedBy, next.startedAt) = (identity, now)
    }
  }

  /// The current run of `workflowID` continues as new by itself (the workflow's own
  /// continue-as-new): it closes ContinuedAsNew, and a new Running run on its build goes on.
  public func continueAsNew(_ workflowID: String) {
    startNextRun(of: workflowID, closingAs: .continuedAsNew) { old, next, now in
      (next.startedAt, next.continuedFrom) = (now, old.runID)
    }
  }

  /// Closes the current run of `workflowID` as `status` when it is Running, and starts a new
  /// Running run of it like it (its type, build and input), which `shape` then adjusts, given the
  /// old run and the server's time.
  private func startNextRun(
    of workflowID: String, closingAs status: ExecutionStatus,
    _ shape: (Execution, inout Execution, Int64) -> Void
  ) {
    world.withLock { world in
      guard let index = world.executions.lastIndex(where: { $0.workflowID == workflowID }) else {
        return
      }
      if world.executions[index].status == .running { world.executions[index].status = status }
      let old = world.executions[index]
      world.nextRun += 1
      var next = Execution(
        workflowID: workflowID, runID: world.runID(world.nextRun), type: old.type,
        status: .running, build: old.build, hasProblems: old.hasProblems, input: old.input)
      shape(old, &next, world.serverTime)
      world.executions.append(next)
    }
  }

  /// From now on, reading who reset a run of `workflowID` fails, as a history read the server
  /// refuses (rate limited, timed out).
  public func failResetOrigins(of workflowID: String) {
    world.withLock { _ = $0.unreadableResetOrigins.insert(workflowID) }
  }

  /// Someone pins the current run of `workflowID` to `build` with a Versioning Override by hand.
  /// It still reports the bad build until a task completes elsewhere, as the server's does.
  public func pinByOverride(_ workflowID: String, to build: String) {
    world.withLock { world in
      if let index = world.executions.lastIndex(where: { $0.workflowID == workflowID }) {
        if world.executions[index].overrideBuild == nil {
          world.executions[index].baseBuild = world.executions[index].build
        }
        world.executions[index].overrideBuild = build
      }
    }
  }

  /// A Workflow Task of the current run of `workflowID` completes on `build` (its worker reports
  /// Pinned): that becomes its own version, under any override.
  public func completeTask(of workflowID: String, on build: String) {
    world.withLock { world in
      guard let index = world.executions.lastIndex(where: { $0.workflowID == workflowID }) else {
        return
      }
      if world.executions[index].overrideBuild == nil {
        world.executions[index].build = build
      } else {
        world.executions[index].baseBuild = build
      }
    }
  }

  /// From now on, reading the first event of any run of `workflowID` fails.
  public func failFirstEvents(of workflowID: String) {
    world.withLock { _ = $0.unreadableFirstEvents.insert(workflowID) }
  }

  /// After `reads` more history reads have answered, every one fails with `error` (the server
  /// went out of reach). ``historyReadsFailed`` counts the failed ones.
  public func failHistoryReads(after reads: Int, with error: TemporalError) {
    world.withLock { $0.historyOutage = (reads, error) }
  }

  /// How many history reads failed in an outage.
  public var historyReadsFailed: Int { world.withLock { $0.historyReadsFailed } }

  /// Every `n`-th per-run change (a reset, terminate or start) is refused with RESOURCE_EXHAUSTED
  /// before it acts, as a namespace's rate limit refuses calls above its rate. Reads are not: the
  /// client tries those again itself.
  public func rateLimitPerRunChanges(every n: Int) {
    world.withLock { $0.rateLimitEvery = n }
  }

  /// Every per-run change is refused with RESOURCE_EXHAUSTED before it acts while `refusing`
  /// says so: a namespace whose rate limit another client uses up for minutes.
  public func throttlePerRunChanges(while refusing: @escaping @Sendable () -> Bool) {
    world.withLock { $0.throttled = refusing }
  }

  /// Every describe of a run is refused with RESOURCE_EXHAUSTED while `refusing` says so: a
  /// namespace whose read limit is used up. ``refusedReads`` counts them.
  public func throttleRunDescribes(while refusing: @escaping @Sendable () -> Bool) {
    world.withLock { $0.throttledReads = refusing }
  }

  /// How many describes of a run were refused.
  public var refusedReads: Int { world.withLock { $0.refusedReads } }

  /// Every `n`-th per-run change fails before it reaches the server: the connection it would go
  /// over could not be made (`UNAVAILABLE` "Could not establish a connection"), as while the
  /// client reconnects after a drop. Nothing was sent.
  public func failPerRunChangesUnsent(every n: Int) {
    world.withLock {
      $0.rateLimitEvery = n
      $0.perRunRefusal = .unreachable("Could not establish a connection to the server")
    }
  }

  /// The next reset of `runID` times out on the way back (`DEADLINE_EXCEEDED`), and takes effect
  /// on the server `seconds` of server time later: a reply lost after the change applied, late.
  /// With `insteadByHand`, the lost reset never takes effect, and a person resets the run
  /// `seconds` later instead, giving that reason.
  public func resetLate(
    _ runID: String, afterSeconds seconds: Double, insteadByHand reason: String? = nil
  ) {
    world.withLock {
      $0.lateResets[runID] = (
        Int64(seconds * 1000),
        reason.map { ChangeContext(identity: "temporal-cli", reason: $0) }
      )
    }
  }

  /// The `nth` per-run change (a reset, terminate or start) takes effect, but its answer never
  /// comes back: the call fails as its deadline passes (counted as ``afterRunChange(_:_:)`` counts).
  public func loseAnswer(ofRunChange nth: Int) {
    world.withLock { $0.loseAnswerOfRunChange = nth }
  }

  /// Once the `nth` per-run change (a reset, terminate or start) has taken effect and answered,
  /// `happen` runs: someone else acts in the middle of a long action (takes the incident over).
  public func afterRunChange(_ nth: Int, _ happen: @escaping @Sendable () -> Void) {
    world.withLock {
      $0.afterRunChange = (nth, happen)
      $0.runChanges = 0
    }
  }

  /// The process dies during the `nth` change of `action` (its id), after or before the server got it.
  public func crashMidCall(action: String, nth: Int = 1, delivered: Bool) {
    world.withLock {
      $0.midCall = (action, nth, delivered)
      $0.callsOfAction = [:]
    }
  }

  // MARK: What happened

  public var executions: [Execution] { world.withLock { $0.executions } }
  public var changes: [TemporalChange] { world.withLock { $0.changes } }
  /// The context each change was sent with, in the order of ``changes``.
  public var contexts: [ChangeContext] { world.withLock { $0.contexts } }

  /// From now on the server says it is `release` (an older one lacks one-time overrides).
  public func reportRelease(_ release: String) { world.withLock { $0.serverRelease = release } }
  /// How many times the deployment was described (`DescribeWorkerDeployment`).
  public var deploymentDescribes: Int { world.withLock { $0.deploymentDescribes } }
  public var routing: DeploymentRouting {
    world.withLock {
      DeploymentRouting(current: $0.current, ramping: $0.ramping, percentage: $0.percentage)
    }
  }
  public var builds: [String] { world.withLock { $0.builds } }
  public var batchJobs: [BatchJobID] { world.withLock { Array($0.batches.keys) } }
  /// The reason a batch was started with, as `DescribeBatchOperation` answers it.
  public func describeBatchReason(_ job: String) -> String? {
    world.withLock { $0.batches[BatchJobID(rawValue: job)]?.job.reason }
  }
  public var now: UTCTime { world.withLock { UTCTime(millisecondsSinceEpoch: $0.serverTime) } }

  /// How many runs resets made from each original run (by its run id): exactly once is 1.
  public var resetsPerRun: [String: Int] {
    world.withLock { world in
      Dictionary(grouping: world.executions.compactMap(\.resetFrom), by: { $0 }).mapValues(\.count)
    }
  }
}

extension ScriptedCluster.World {
  /// The id of the `number`-th run: `000012`, or as long as a UUID with ``longRunIDs``; either
  /// sorts in the order the runs were made.
  func runID(_ number: Int) -> String {
    guard longRunIDs else { return format6(number) }
    let digits = String(number)
    return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count))
      + digits
  }
}

/// `000012`: run ids that sort in the order they were made.
func format6(_ number: Int) -> String {
  let digits = String(number)
  return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
}
