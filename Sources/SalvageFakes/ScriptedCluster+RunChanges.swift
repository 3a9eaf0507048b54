public import SalvageCore
import Synchronization

/// What the server does to runs: a start under its conflict and reuse policies, a reset's new
/// run, a batch over a query's selection, and how visibility matches a query.
extension ScriptedCluster {
  /// Starts the workflow id again as the server does: a request id is de-duplicated against the
  /// current run only; a Running run refuses (conflict policy FAIL); the reuse policy decides
  /// after a closed one. The new run completes on `build`.
  func start(
    _ first: FirstEvent, pinTo build: String, requestID: String, reuse: IDReusePolicy,
    in world: inout World
  )
    throws -> String
  {
    if let current = world.executions.last(where: { $0.workflowID == first.workflowID }) {
      if current.requestIDs.contains(requestID) { return current.runID }
      let failedOnly: [ExecutionStatus] = [.failed, .timedOut, .terminated, .canceled]
      if current.status == .running
        || (reuse == .allowDuplicateFailedOnly && !failedOnly.contains(current.status))
      {
        throw TemporalError.alreadyExists("workflow execution already started: \(first.workflowID)")
      }
    }
    world.nextRun += 1
    let runID = world.runID(world.nextRun)
    world.executions.append(
      Execution(
        workflowID: first.workflowID, runID: runID, type: first.workflowType, status: .completed,
        build: build,
        hasProblems: false, requestIDs: [requestID],
        input: String(decoding: first.encoded, as: UTF8.self), overrideBuild: build,
        baseBuild: build))
    return runID
  }

  /// What a reset's new run records of it, as the server does: its reason and time (the
  /// identity is the server's own, so none is kept).
  func origin(_ context: ChangeContext, _ world: World) -> ResetOrigin {
    ResetOrigin(
      identity: nil, reason: context.reason, at: UTCTime(millisecondsSinceEpoch: world.serverTime))
  }

  /// A new run of the execution at `index`, pinned to `build` and completed there; the old run
  /// keeps its status and names the new one.
  func makeReset(
    of index: Int, pinTo build: String, origin: ResetOrigin, in world: inout World
  ) -> String {
    world.nextRun += 1
    let old = world.executions[index]
    let runID = world.runID(world.nextRun)
    world.executions[index].resetRunID = runID
    var made = Execution(
      workflowID: old.workflowID, runID: runID, type: old.type, status: .completed, build: build,
      hasProblems: false,
      resetRunID: nil, resetFrom: old.runID, overrideBuild: build, baseBuild: build,
      resetOrigin: origin)
    // A reset's run copies the original's first event: who started it and when.
    (made.startedBy, made.startedAt) = (old.startedBy, old.startedAt)
    world.executions.append(made)
    return runID
  }

  /// Starts a batch under `job` (refused when the job id exists, as the server does), applying
  /// `each` to every execution the query selects but those scripted to fail.
  func startBatch(
    _ job: BatchJobID, query: VisibilityQuery, type: String, reason: String,
    in world: inout World, _ each: (Int, inout World) -> Void
  ) throws -> ChangeResult {
    guard world.batches[job] == nil else { throw TemporalError.alreadyExists("batch \(job)") }
    let start = UTCTime(millisecondsSinceEpoch: world.serverTime)
    if world.failWholeBatches > 0 {
      world.failWholeBatches -= 1
      world.batches[job] = Batch(
        job: BatchJob(
          id: job, state: .failed, operationType: type, totalCount: 0, completeCount: 0,
          failureCount: 0,
          identity: nil, reason: reason, query: nil, startTime: start, closeTime: start),
        looksLeft: batchLooks)
      return .batch(job, alreadyStarted: false)
    }
    // The batcher selects through visibility, then acts on each run it listed as it is now.
    try ScriptedCluster.refuseUnrendered(query)
    let listed = Set(
      world.visible.filter { world.matches(query, $0) }.map { "\($0.workflowID)/\($0.runID)" })
    let selected = world.executions.indices.filter {
      listed.contains("\(world.executions[$0].workflowID)/\(world.executions[$0].runID)")
    }
    var failed = 0
    var failing = world.batchFailures.filter { $0.value.batches > 0 }.mapValues(\.each)
    for name in failing.keys { world.batchFailures[name]?.batches -= 1 }
    for index in selected {
      let name = world.executions[index].type
      if let left = failing[name], left > 0 {
        failing[name] = left - 1
        failed += 1
        continue
      }
      each(index, &world)
    }
    world.batches[job] = Batch(
      job: BatchJob(
        id: job, state: .completed, operationType: type, totalCount: selected.count,
        completeCount: selected.count - failed, failureCount: failed, identity: nil, reason: reason,
        query: nil,
        startTime: start, closeTime: UTCTime(millisecondsSinceEpoch: world.serverTime + 500)),
      looksLeft: batchLooks)
    return .batch(job, alreadyStarted: false)
  }
}

extension ScriptedCluster {
  /// A query the adapter could not render (too long, a NUL) is refused as the adapter refuses it.
  static func refuseUnrendered(_ query: VisibilityQuery) throws {
    do {
      _ = try query.rendered()
    } catch {
      throw TemporalError.invalidQuery(error.description)
    }
  }
}

extension ScriptedCluster.World {
  /// Whether visibility selects `execution` for `query`, names it cannot match left out.
  func matches(_ query: VisibilityQuery, _ execution: ScriptedCluster.Execution) -> Bool {
    SalvageFakes.matches(query, execution, unmatchable: unmatchableTypes)
  }
}

/// Whether `execution` is one the visibility query selects, by the attributes salvage queries.
func matches(
  _ query: VisibilityQuery, _ execution: ScriptedCluster.Execution, deployment: String = "orders",
  unmatchable: Set<String> = []
) -> Bool {
  func values(_ attribute: SearchAttribute) -> [String] {
    switch attribute.name {
    case "WorkflowType": unmatchable.contains(execution.type) ? [] : [execution.type]
    case "WorkflowId": [execution.workflowID]
    case "ParentWorkflowId": execution.parent.map { [String($0.prefix { $0 != "/" })] } ?? []
    case "RunId": [execution.runID]
    case "ExecutionStatus": [execution.status.rawValue]
    case "TemporalWorkerDeploymentVersion": execution.build.map { ["\(deployment):\($0)"] } ?? []
    case "TemporalReportedProblems": execution.hasProblems ? ["category=WorkflowTaskFailed"] : []
    case "TaskQueue": ["\(deployment)-tq"]
    default: []
    }
  }
  switch query {
  case .equals(let attribute, let value): return values(attribute).contains(value)
  case .notEquals(let attribute, let value): return !values(attribute).contains(value)
  case .equalsBool: return false
  case .isIn(let attribute, let list): return values(attribute).contains { list.contains($0) }
  case .startsWith(let attribute, let prefix):
    return values(attribute).contains { $0.hasPrefix(prefix) }
  case .all(let clauses):
    return clauses.allSatisfy {
      matches($0, execution, deployment: deployment, unmatchable: unmatchable)
    }
  case .any(let clauses):
    return clauses.contains {
      matches($0, execution, deployment: deployment, unmatchable: unmatchable)
    }
  }
}
