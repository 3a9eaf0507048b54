/// The deployment's routing as described, after a change or before deciding one.
public struct RolloutObserved: EventPayload {
  public static let typeName = "RolloutObserved"
  public static let schemaVersion = 1

  public let currentBuild: String?
  public let rampingBuild: String?
  public let rampPercentage: Double
  /// The deployment's `manager_identity` when one is set: only that identity may change it.
  public let managerIdentity: String?

  public init(
    currentBuild: String?, rampingBuild: String?, rampPercentage: Double,
    managerIdentity: String? = nil
  ) {
    self.currentBuild = currentBuild
    self.rampingBuild = rampingBuild
    self.rampPercentage = rampPercentage
    self.managerIdentity = managerIdentity
  }
}

/// One Workflow Type and status among the affected executions.
public struct AffectedGroup: Codable, Equatable, Sendable {
  public let workflowType: String
  public let status: ExecutionStatus
  /// Executions pinned to the bad build in this group.
  public let count: Int
  /// Of those, how many the runbook's `TemporalReportedProblems` filter finds.
  public let withReportedProblems: Int

  public init(workflowType: String, status: ExecutionStatus, count: Int, withReportedProblems: Int)
  {
    self.workflowType = workflowType
    self.status = status
    self.count = count
    self.withReportedProblems = withReportedProblems
  }
}

/// The affected executions were counted and listed; the list is in the journal's side table,
/// written in the same transaction, and `digest` is its SHA-256.
public struct AffectedExecutionsIdentified: EventPayload {
  public static let typeName = "AffectedExecutionsIdentified"
  public static let schemaVersion = 1

  public let groups: [AffectedGroup]
  /// Executions with reported problems that are not pinned to the bad build (their first task
  /// failed there): the runbook's query misses them, so they are reported, not recovered.
  public let unpinnedWithProblems: Int
  public let executionCount: Int
  public let digest: String

  public init(
    groups: [AffectedGroup], unpinnedWithProblems: Int, executionCount: Int, digest: String
  ) {
    self.groups = groups
    self.unpinnedWithProblems = unpinnedWithProblems
    self.executionCount = executionCount
    self.digest = digest
  }

  /// Workflow Types with Running executions pinned to the bad build: each needs a strategy.
  public var runningTypes: [String] {
    Array(Set(groups.filter { $0.status == .running && $0.count > 0 }.map(\.workflowType))).sorted()
  }
}

/// A strategy was decided for one Workflow Type.
public struct StrategyDecided: EventPayload {
  public static let typeName = "StrategyDecided"
  public static let schemaVersion = 1

  public let workflowType: String
  public let restartable: Bool
  public let corrupted: Bool
  public let strategy: Strategy
  /// The build executions go to: the good build, or a replay-safe one.
  public let targetBuild: String
  public let source: DecisionSource
  public let rationale: String
  /// The closed statuses whose runs of this type clean-up resets (see ``ClosedStatuses``). `nil`
  /// in events recorded before the choice existed: those mean ``ClosedStatuses/default``.
  public let closedStatuses: [ExecutionStatus]?
  /// `true` when the type's executions are moved with one-time Versioning Overrides (`decide
  /// --one-time-override`), which the server clears once a Workflow Task completed on the target;
  /// `nil` (absent) for the pinned overrides every other decision uses.
  public let oneTimeOverride: Bool?

  public init(
    workflowType: String, restartable: Bool, corrupted: Bool, strategy: Strategy,
    targetBuild: String,
    source: DecisionSource, rationale: String, closedStatuses: [ExecutionStatus]? = nil,
    oneTimeOverride: Bool? = nil
  ) {
    self.oneTimeOverride = oneTimeOverride == true ? true : nil
    self.workflowType = workflowType
    self.restartable = restartable
    self.corrupted = corrupted
    self.strategy = strategy
    self.targetBuild = targetBuild
    self.source = source
    self.rationale = rationale
    self.closedStatuses = closedStatuses
  }
}

/// A batch job's progress as described.
extension StrategyDecided {
  /// How salvage's Versioning Overrides are set for this type's executions.
  public var overrides: OverrideKind { oneTimeOverride == true ? .oneTime : .pinned }
}

public struct BatchProgressed: EventPayload {
  public static let typeName = "BatchProgressed"
  public static let schemaVersion = 1

  public let action: String
  public let batchJob: String
  public let finished: Bool
  public let total: Int
  public let complete: Int
  public let failure: Int
  /// When the batch started, as the server reports it (`DescribeBatchOperation.start_time`): the
  /// drained gate compares the server's drainage check with this, never with a local clock.
  public let startedAt: UTCTime?
  /// How a finished batch ended, as the server reports it. `nil` while it runs, and in older
  /// events.
  public let state: BatchEnd?

  public init(
    action: String, batchJob: String, finished: Bool, total: Int, complete: Int, failure: Int,
    startedAt: UTCTime? = nil, state: BatchEnd? = nil
  ) {
    self.action = action
    self.batchJob = batchJob
    self.finished = finished
    self.total = total
    self.complete = complete
    self.failure = failure
    self.startedAt = startedAt
    self.state = state
  }

  /// Finished, and with every target done: neither a failed execution nor a failed batch.
  public var finishedCleanly: Bool { finished && failure == 0 && state != .failed }
}

/// How a finished batch ended, as the server reports it. Raw values are stored in the journal.
public enum BatchEnd: String, Codable, Sendable {
  case completed
  /// Failed as a whole: such a batch reports no counts at all.
  case failed
}

/// The bad version's drainage, and how many Running executions visibility still pins to it.
public struct DrainageObserved: EventPayload {
  public static let typeName = "DrainageObserved"
  public static let schemaVersion = 1

  /// Stored as its name: `unspecified`, `draining`, `drained`, or the server's own text.
  public let drainage: DrainageStatus
  /// The server's `lastCheckedTime`; drainage counts only when checked after the last recovery.
  public let checkedAt: UTCTime?
  public let runningPinned: Int

  public init(drainage: DrainageStatus, checkedAt: UTCTime?, runningPinned: Int) {
    self.drainage = drainage
    self.checkedAt = checkedAt
    self.runningPinned = runningPinned
  }
}

/// The closed runs to reset were frozen after drainage: listed, hashed, split into chunks.
public struct ClosedTargetsFrozen: EventPayload {
  public static let typeName = "ClosedTargetsFrozen"
  public static let schemaVersion = 1

  /// Runs in each chunk, in order; chunk *i* is reset by action `reset-closed-<i>`.
  public let chunkSizes: [Int]
  /// Closed runs already carrying a `resetRunId`, left out.
  public let alreadyReset: Int
  public let digest: String
  /// Closed runs of a type that restarts, refused by name (children, Nexus-started runs) and left
  /// out; `nil` in events recorded before restarts existed.
  public let refusedRestarts: [RunResetOutcome]?

  public init(
    chunkSizes: [Int], alreadyReset: Int, digest: String, refusedRestarts: [RunResetOutcome]? = nil
  ) {
    self.chunkSizes = chunkSizes
    self.alreadyReset = alreadyReset
    self.digest = digest
    self.refusedRestarts = refusedRestarts
  }
}

/// Who still polls the bad version.
public struct PollersChecked: EventPayload {
  public static let typeName = "PollersChecked"
  public static let schemaVersion = 1

  /// Every poller the server lists for the bad version.
  public let identities: [String]
  /// Those of them that stopped polling and that the server only remembers (``PollerSighting``);
  /// absent in events recorded before salvage told the two apart.
  public let remembered: [String]?

  public init(identities: [String], remembered: [String]? = nil) {
    self.identities = identities
    self.remembered = remembered?.isEmpty == true ? nil : remembered
  }
}

/// The bad version was deleted, and a re-describe confirmed it is gone.
public struct VersionDeleted: EventPayload {
  public static let typeName = "VersionDeleted"
  public static let schemaVersion = 1

  public let confirmed: Bool

  public init(confirmed: Bool) { self.confirmed = confirmed }
}
