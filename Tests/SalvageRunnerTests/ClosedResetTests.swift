import SalvageFakes
import Synchronization
import Testing

@testable import SalvageCore

/// A Temporal behind the port that knows closed runs and resets them, and can lose a reset's answer.
private final class RunsTemporal: TemporalClient {
  struct Run {
    var status: ExecutionStatus
    var version: WorkerDeploymentVersion
    var resetRunID: String?
  }

  private let state:
    Mutex<(runs: [String: Run], current: [String: String], resets: Int, loseNext: Bool)>
  /// With `late`: the lost reset lands this long after it was sent, on `clock`, and the next
  /// `unreadable` describes fail (the connection is gone for a moment).
  private let late: (by: Duration, clock: InstantClock, unreadable: Int)?
  private let landing = Mutex<(at: ContinuousClock.Instant?, unreadable: Int)>((nil, 0))

  init(
    _ runs: [(workflowID: String, runID: String)], version: WorkerDeploymentVersion,
    loseFirstAnswer: Bool, late: (by: Duration, clock: InstantClock, unreadable: Int)? = nil
  ) {
    self.late = late
    var table: [String: Run] = [:]
    var current: [String: String] = [:]
    for run in runs {
      table[run.runID] = Run(status: .failed, version: version)
      current[run.workflowID] = run.runID
    }
    state = Mutex((table, current, 0, loseFirstAnswer))
  }

  var resets: Int { state.withLock { $0.resets } }

  func firstEvent(workflowID: String, runID: String) async throws -> FirstEvent {
    throw TemporalError.workflowNotFound(workflowID)
  }
  func describeWorkflow(id: String, runID: String?) async throws -> WorkflowDescription {
    if let late {
      let (lands, unreadable) = landing.withLock { landing in
        let lands = landing.at.map { $0 <= late.clock.now } ?? false
        if lands { landing.at = nil }
        landing.unreadable -= 1
        return (lands, landing.unreadable >= 0)
      }
      if lands { apply(workflowID: id, runID: "r-0") }
      if unreadable {
        throw TemporalError.failed(
          call: "DescribeWorkflowExecution", code: "unavailable", message: "connection reset")
      }
    }
    return try state.withLock { state in
      guard let runID = runID ?? state.current[id], let run = state.runs[runID] else {
        throw TemporalError.workflowNotFound(id)
      }
      return WorkflowDescription(
        workflowID: id, runID: runID, type: "FailWorkflow", status: run.status,
        versioningBehavior: .pinned,
        deploymentVersion: run.version, overrideVersion: nil, resetRunID: run.resetRunID,
        pendingTaskAttempt: nil)
    }
  }

  /// The reset of `runID` lands: a new run, the current one from then on.
  private func apply(workflowID: String, runID: String) {
    state.withLock { state in
      let current = state.current[workflowID] ?? runID
      let newRun = "\(current)-reset"
      state.runs[current]?.resetRunID = newRun
      state.runs[newRun] = Run(status: .running, version: state.runs[current]?.version ?? Self.v1)
      state.current[workflowID] = newRun
      state.resets += 1
    }
  }

  private static let v1 = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v1")

  func perform(_ change: TemporalChange, context: ChangeContext) async throws -> ChangeResult {
    guard case .resetRun(let workflowID, let runID, let good, _) = change else { return .done }
    if let late, state.withLock({ $0.loseNext }) {
      // Taken, not answered, and acted on later.
      state.withLock { $0.loseNext = false }
      landing.withLock { $0 = (late.clock.now + late.by, late.unreadable) }
      throw TemporalError.timedOut(call: "ResetWorkflowExecution", seconds: 10)
    }
    return try state.withLock { state in
      let newRun = "\(runID)-reset"
      state.runs[runID]?.resetRunID = newRun
      state.runs[newRun] = Run(status: .running, version: good)
      state.current[workflowID] = newRun
      state.resets += 1
      if state.loseNext {
        state.loseNext = false
        throw TemporalError.failed(
          call: "ResetWorkflowExecution", code: "unavailable",
          message: "Stream unexpectedly closed.")
      }
      return .reset(newRunID: newRun)
    }
  }

  func describeDeployment(_ name: String) async throws -> DeploymentDescription {
    throw Self.unused
  }
  func describeVersion(_ version: WorkerDeploymentVersion) async throws -> VersionDescription {
    throw Self.unused
  }
  func describeNamespace() async throws -> NamespaceDescription { throw Self.unused }
  func serverVersion() async throws -> String { throw Self.unused }
  func count(_ query: VisibilityQuery) async throws -> Int { throw Self.unused }
  func list(_ query: VisibilityQuery, _ each: (WorkflowExecutionSummary) throws -> Void)
    async throws
  { throw Self.unused }
  func describeBatch(_ id: BatchJobID) async throws -> BatchJob { throw Self.unused }
  func pollers(of version: WorkerDeploymentVersion, on taskQueues: [VersionDescription.TaskQueue])
    async throws
    -> [Poller]
  { throw Self.unused }
  func intent(of change: TemporalChange, context: ChangeContext) throws -> ChangeIntent {
    ChangeIntent(command: ["temporal"], request: "{}")
  }
  private static let unused = TemporalError.failed(
    call: "test", code: "unimplemented", message: "not used here")
}

@Suite struct ClosedResetTests {
  let bad = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2")
  let good = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v1")
  let context = ChangeContext(identity: "salvage/inc-1/reset-closed-0-1", reason: "test")
  let run = ExecutionRecord(
    workflowID: "failed-0", runID: "r-0", workflowType: "FailWorkflow", status: .failed,
    hasReportedProblems: false)

  @Test func aResetWhoseAnswerWasLostIsFoundByTheCheckAndNotSentAgain() async throws {
    // Given a server that resets the run but whose answer is lost on the way back
    let temporal = RunsTemporal([("failed-0", "r-0")], version: bad, loseFirstAnswer: true)
    // When salvage resets it
    let outcome = try await resetOne(on: temporal)
    // Then the check before the second attempt finds the new run: one reset, recorded as this action's
    #expect(temporal.resets == 1)
    #expect(outcome.result == .reset)
    #expect(outcome.newRunID == "r-0-reset")
    #expect(outcome.reason?.contains("its answer was lost") == true)
  }

  @Test
  func aResetWhoseAnswerWasLostAndThenCouldNotBeCheckedIsWaitedOutBeforeTheRunIsGivenUp()
    async throws
  {
    // Given a server that takes a reset without answering, carries it out 8 s later, and fails
    // the next three describes of the run
    let clock = InstantClock()
    let temporal = RunsTemporal(
      [("failed-0", "r-0")], version: bad, loseFirstAnswer: true,
      late: (by: .seconds(8), clock: clock, unreadable: 3))
    // When salvage resets it, and a run right after (the operator running again) resets it if
    // it was not found
    let first = try await resetOne(on: temporal, clock: clock)
    let second = try await resetOne(on: temporal, clock: clock)
    // Then the first waited out the lost reset and found it, and the server made one reset only
    try await clock.sleep(for: .seconds(60))
    _ = try await temporal.describeWorkflow(id: "failed-0", runID: nil)
    #expect(temporal.resets == 1)
    #expect(first.result == .reset)
    #expect(second.result == .alreadyReset)
  }

  @Test func aRunAlreadyResetIsLeftAsItIs() async throws {
    // Given a run reset before (by hand, or by a run that died before recording it)
    let temporal = RunsTemporal([("failed-0", "r-0")], version: bad, loseFirstAnswer: false)
    #expect(
      try await temporal.perform(
        .resetRun(workflowID: "failed-0", runID: "r-0", pinTo: good, requestID: "x"),
        context: context) == .reset(newRunID: "r-0-reset"))
    // When salvage gets to it
    let outcome = try await resetOne(on: temporal)
    // Then it is not reset again
    #expect(temporal.resets == 1)
    #expect(outcome.result == .alreadyReset)
    #expect(outcome.newRunID == "r-0-reset")
  }

  /// Salvage's reset of `run` on `temporal`, checked first, as a closed-reset chunk sends it.
  private func resetOne(
    on temporal: RunsTemporal, clock: InstantClock = InstantClock(),
    mayAct: RunbookRunner.MayAct = .init { .act }
  ) async throws -> RunResetOutcome {
    try await RunbookRunner.ActionPerformer.resetOne(
      run, resettable: ClosedStatuses.default, bad: bad, good: good, context: context,
      temporal: limited(temporal), clock: clock, timing: RunbookRunner.Timing(), mayAct: mayAct)
  }

  /// A run's mayAct that lets the first question through and answers `later` from then on: the
  /// incident is taken over, or closed, while the reset waits its turn in the limiter.
  private func changesAfterTheFirstLook(
    _ later: @escaping @Sendable () throws -> RunbookRunner.MayAct.Answer
  )
    -> RunbookRunner.MayAct
  {
    let asked = Mutex(0)
    return .init {
      let count = asked.withLock {
        $0 += 1
        return $0
      }
      return count == 1 ? .act : try later()
    }
  }

  private func limited(_ temporal: RunsTemporal) -> PerRunTemporalClient {
    PerRunTemporalClient(
      base: temporal,
      limiter: CallLimiter(.init(ceiling: 1000, maxWidth: 16), clock: InstantClock()))
  }

  @Test func aResetWhoseTurnComesAfterATakeOverIsNotSent() async throws {
    // Given a closed run to reset, and an incident taken over by another run while the reset waits
    // for its turn in the limiter
    let temporal = RunsTemporal([("failed-0", "r-0")], version: bad, loseFirstAnswer: false)
    let incident = try #require(IncidentID(rawValue: "inc-1"))
    let mayAct = changesAfterTheFirstLook {
      throw RunbookError.leaseLost(incident, to: "bob@other")
    }
    // When salvage gets to it
    await #expect(throws: RunbookError.self) {
      _ = try await resetOne(on: temporal, mayAct: mayAct)
    }
    // Then the reset was never sent: the new driver's own reset cannot be undone by a late one
    #expect(temporal.resets == 0)
  }

  @Test func aResetWhoseTurnComesAfterACloseIsLeftAloneNotSent() async throws {
    // Given a closed run to reset, and an incident closed while the reset waits for its turn
    let temporal = RunsTemporal([("failed-0", "r-0")], version: bad, loseFirstAnswer: false)
    // When salvage gets to it
    let outcome = try await resetOne(on: temporal, mayAct: changesAfterTheFirstLook { .closed })
    // Then it is left alone, not sent
    #expect(temporal.resets == 0)
    #expect(outcome.result == .leftAlone)
    #expect(outcome.reason == "not sent: the incident was closed meanwhile")
  }
}
