public import SalvageCore
import Synchronization

/// What happened on the cluster, for a test's assertions.
extension ScriptedCluster {
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
