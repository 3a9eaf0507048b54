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
    /// The run that the next list shows twice, closing with this status between its two pages.
    var closeWhileListing: (workflowID: String, status: ExecutionStatus)?
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
    /// The next change throws this instead of taking effect.
    var failNextChange: TemporalError?
    /// What a person sets the routing to right after the next describe of the deployment answers.
    var routeAfterDescribe: DeploymentRouting?
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

  /// A cluster whose deployment routes as `routing` says, with no runs yet.
  public convenience init(routing: DeploymentRouting) {
    self.init(current: routing.current ?? "")
    world.withLock { $0.route(routing) }
  }
}
