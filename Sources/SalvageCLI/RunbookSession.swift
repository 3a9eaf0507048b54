import Foundation
import SalvageCore
import SalvageJournal
import SalvageTemporal

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a line to stdout at once (unbuffered), so progress, prompts and results keep their order.
/// Every text output goes through here: control characters in it are escaped (``VisibleText``),
/// so nothing the server or a note says can drive the terminal.
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((VisibleText.escaped(line, keepingLineFeeds: true) + "\n").utf8))
}

/// The live wiring of a runbook run: journal, the Temporal connection, confirmation and progress.
struct RunbookSession {
  let incident: IncidentID
  let endpoint: GRPCEndpoint
  let environment: RunbookRunner.Environment
  let store: SQLiteEventJournal
  let actor: String
  /// This process as the lease holder.
  let run: RunIdentity
  let leaseSeconds: Double
  /// The crash tests' hook inside a change call (`SALVAGE_TEST_CRASH_AT=in-flight:<RPC>`).
  let changeAnswered: GRPCTemporalClient.ChangeAnswered?

  init(
    journal: JournalOptions, temporal: TemporalOptions, yes: Bool,
    policy: (DecisionPolicy, file: String)? = nil,
    attribute: (SearchAttribute, replaySafeBuild: String?)? = nil, pollerWait: Double? = nil
  ) throws {
    let environment = LiveEnvironment.variables
    leaseSeconds = try EnvironmentSettings.leaseSeconds(environment)
    let actor = try journal.operatorName(environment)
    let store = try journal.openJournal(environment)
    let id = try journal.resolveIncident(in: store)
    guard let details = try store.state(of: id)?.details else {
      throw CommandError.incident("incident \(id) was never opened")
    }
    // Resolved before anything is journaled: bad configuration exits 64 with nothing written.
    endpoint = try temporal.endpoint(incidentNamespace: details.namespace, environment)
    incident = id
    self.store = store
    self.actor = actor
    let run = LiveEnvironment.run(operatorName: actor)
    self.run = run
    changeAnswered = Self.inFlightCrashHook(environment)
    var timing = RunbookRunner.Timing()
    if let pollerWait { timing.pollerWait = pollerWait }
    if let rps = temporal.rps { timing.runsPerSecond = rps }
    self.environment = .init(
        newEventID: LiveEnvironment.eventID,
        confirm: { command in yes || Self.ask(command) },
        // One line each: a workflow id or a server message holding a line break cannot fake a line.
        report: { line in say("  " + VisibleText.flat(line)) },
        progress: { line in if isatty(STDOUT_FILENO) == 1 { say("  … " + VisibleText.flat(line)) } },
        boundary: Self.crashHook(environment),
        clock: ContinuousClock(), policy: policy, attribute: attribute,
        timing: timing,
        lease: .init(run: run, seconds: leaseSeconds, now: LiveEnvironment.now))
  }

  /// Connects to Temporal and runs `body` with a runner over the journal and that connection.
  func withRunner<Result: Sendable>(_ body: (RunbookRunner) async throws -> Result) async throws -> Result {
    try await GRPCTemporalClient.withClient(endpoint, changeAnswered: changeAnswered) { client in
      try await body(
        RunbookRunner(journal: store, temporal: client, incident: incident, actor: actor, environment: environment))
    }
  }

  /// A dry run: `body` drives the normal runner over an in-memory scratch copy of the journal and
  /// a ``PlanningTemporalClient`` over the live connection, so every read is the server's and no
  /// change is sent. It takes no lease and writes nothing to the journal. A sealed incident or a
  /// read-only copy is refused (exit 6), as for a real run.
  func plan(
    _ body: (RunbookRunner) async throws -> RunbookRunner.Outcome
  ) async throws -> (RunbookRunner.Outcome, DryRunPlan) {
    if let custody = try store.state(of: incident)?.custody, !custody.isDrivable {
      throw CommandError(status: .leaseHeld, description: custody.refusal(incident))
    }
    guard let details = try store.state(of: incident)?.details else {
      throw CommandError.incident("incident \(incident) was never opened")
    }
    let scratch = try SQLiteEventJournal(scratchCopyOf: store)
    var planning = environment
    // Nothing to confirm, nothing to hold, and no line saying a change was made.
    planning.confirm = { _ in true }
    planning.report = { _ in }
    planning.progress = { _ in }
    planning.boundary = { _, _ in }
    planning.lease = nil
    let bad = WorkerDeploymentVersion(deploymentName: details.deployment, buildID: details.badBuild)
    return try await GRPCTemporalClient.withClient(endpoint) { client in
      let planner = PlanningTemporalClient(live: client, bad: bad, now: LiveEnvironment.now)
      let outcome = try await body(
        RunbookRunner(journal: scratch, temporal: planner, incident: incident, actor: actor, environment: planning))
      guard let state = try scratch.state(of: incident) else { throw RunbookError.noSuchIncident(incident) }
      return (outcome, DryRunPlan(changes: planner.changes, state: state, awaitedPollers: planner.awaitedPollers))
    }
  }

  /// Takes the incident's lease for this run, runs `body`, and lets the lease go, whatever happened.
  ///
  /// A sealed incident or a read-only copy is refused (exit 6). Another run's live
  /// lease, even the same operator's in another terminal, is refused (exit 6) unless `takeOver`,
  /// which is recorded. A lease that expired, or whose run is gone from this host, is taken without
  /// asking; that too is recorded, and said.
  func drive(
    takeOver: Bool, _ body: (RunbookRunner) async throws -> RunbookRunner.Outcome
  ) async throws -> RunbookRunner.Outcome {
    if let custody = try store.state(of: incident)?.custody, !custody.isDrivable {
      throw CommandError(status: .leaseHeld, description: custody.refusal(incident))
    }
    let writer = IncidentWriter(journal: store, incident: incident, actor: actor)
    let expires = UTCTime(
      millisecondsSinceEpoch: LiveEnvironment.now().millisecondsSinceEpoch + Int64(leaseSeconds * 1000))
    var found = Lease.Check.free
    let acquired = try writer.append { state in
      if let custody = state?.custody, !custody.isDrivable {
        throw CommandError(status: .leaseHeld, description: custody.refusal(incident))
      }
      found = Lease.check(state?.lease, by: run, now: LiveEnvironment.now(), isRunning: LiveEnvironment.isRunning)
      if case .heldBy(let lease) = found, !takeOver { throw Self.held(lease, incident) }
      return [.leaseAcquired(LeaseAcquired(run, expiresAt: expires, found: found))]
    }
    if case .ended(let previous) = found {
      say("\(previous.holderDescription)'s run is gone from this host; its lease ended with it")
    }
    defer { release(writer) }
    do {
      return try await withRunner(body)
    } catch let error as AppendError {
      // Someone kept appending under this run: if another run took the incident over, say who.
      guard case .conflict = error, let taken = try takeOverOfThisRun(after: acquired.last?.version) else { throw error }
      throw Self.stopped(by: taken, incident)
    } catch let error as RunbookError {
      switch error {
      case .leaseLost:
        // The runner saw its lease go; the journal says who took it, even if they let it go since.
        if let taken = try takeOverOfThisRun(after: acquired.last?.version) { throw Self.stopped(by: taken, incident) }
        throw CommandError(status: .leaseHeld, description: error.description)
      case .notDrivable: throw CommandError(status: .leaseHeld, description: error.description)
      default: throw error
      }
    }
  }

  /// The latest take-over of this run's lease recorded after `version`, if any.
  private func takeOverOfThisRun(after version: Int?) throws -> LeaseAcquired? {
    guard let version else { return nil }
    return try store.events(of: incident).reversed().lazy.compactMap({ recorded -> LeaseAcquired? in
      guard recorded.version > version, case .leaseAcquired(let lease) = recorded.event,
        lease.previousRunID == run.runID
      else { return nil }
      return lease
    }).first
  }

  static func stopped(by takeOver: LeaseAcquired, _ incident: IncidentID) -> CommandError {
    CommandError(
      status: .leaseHeld,
      description: "\(takeOver.holder)\(takeOver.pid.map { " (pid \($0))" } ?? "") took over incident "
        + "\(incident); this run stopped without acting further")
  }

  /// Lets the lease go, unless another run has it by now.
  private func release(_ writer: IncidentWriter) {
    _ = try? writer.append { state in
      guard state?.lease?.runID == run.runID else { return [] }
      return [.leaseReleased(LeaseReleased(holder: actor, runID: run.runID))]
    }
  }

  static func held(_ lease: Lease, _ incident: IncidentID) -> CommandError {
    CommandError(
      status: .leaseHeld,
      description: "incident \(incident) is being driven by \(lease.holderDescription) (lease until "
        + "\(lease.expiresAt) UTC); wait for it, or take over with --take-over")
  }

  /// Asks on a terminal; without one (a pipe, CI) the answer is no: pass --yes.
  static func ask(_ command: [String]) -> Bool {
    guard isatty(STDIN_FILENO) == 1 else { return false }
    FileHandle.standardOutput.write(
      Data("Run: \(VisibleText.escaped(ShellQuoting.line(command)))\nProceed? [y/N] ".utf8))
    return ["y", "yes"].contains(readLine()?.lowercased() ?? "")
  }

  /// `SALVAGE_TEST_CRASH_AT=<boundary>:<action>` kills this process with SIGKILL at that point.
  /// For the crash tests only: it simulates the machine dying mid-action.
  static func crashHook(_ environment: [String: String]) -> @Sendable (RunbookRunner.Boundary, String) -> Void {
    guard let spec = environment["SALVAGE_TEST_CRASH_AT"], let colon = spec.firstIndex(of: ":") else {
      return { _, _ in }
    }
    let point = String(spec[..<colon])
    let action = String(spec[spec.index(after: colon)...])
    return { boundary, id in
      if boundary.rawValue == point, id == action { kill(getpid(), SIGKILL) }
    }
  }

  /// `SALVAGE_TEST_CRASH_AT=in-flight:<RPC>` kills this process with SIGKILL once the first answer
  /// to that change call (`StartBatchOperation`, say) arrived, before salvage sees it: the request
  /// took effect on the server, and its answer is lost. For the crash tests only.
  static func inFlightCrashHook(_ environment: [String: String]) -> GRPCTemporalClient.ChangeAnswered? {
    guard let spec = environment["SALVAGE_TEST_CRASH_AT"], spec.hasPrefix("in-flight:") else { return nil }
    let call = String(spec.dropFirst("in-flight:".count))
    return { answered in
      if answered == call { kill(getpid(), SIGKILL) }
    }
  }

  /// Prints what stopped the run and turns it into the documented exit status.
  static func finish(_ outcome: RunbookRunner.Outcome, incident: IncidentID) throws {
    switch outcome {
    case .finished:
      say("Incident \(incident) is cleaned.")
    case .reached(let phase):
      say("Incident \(incident) reached \(phase.rawValue).")
    case .closed:
      say("Incident \(incident) is closed; nothing to do.")
    case .needsDecision(let types):
      let command = RunbookAction.awaitDecision(workflowTypes: types).command ?? "salvage decide"
      throw CommandError(
        status: .needsDecision,
        description: "a strategy decision is needed for \(types.joined(separator: ", ")): "
          + "record it with '\(command)', then run again")
    case .blocked(let reason):
      throw CommandError(status: .needsOperator, description: reason)
    case .needsPollersGone(let identities):
      throw CommandError(
        status: .needsOperator,
        description: "workers still poll the bad version (\(identities.joined(separator: ", "))): stop them, then run again")
    case .declined(let command):
      throw CommandError(
        status: .declined,
        description: "not confirmed: \(command.prefix(5).joined(separator: " ")) … (pass --yes to run without asking)")
    case .stepDone(let step):
      say("Step \(step.rawValue) of \(incident) is done; next: salvage run (or the next step's command).")
    case .notReady(let asked, let next):
      throw CommandError(
        status: .incident,
        description: "incident \(incident) is not at \(asked.rawValue) yet: run 'salvage \(next.rawValue)' "
          + "(or 'salvage run') first")
    }
  }
}
