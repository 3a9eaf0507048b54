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
  StandardStreams.output(VisibleText.escaped(line, keepingLineFeeds: true) + "\n")
}

/// The live wiring of a runbook run: journal, the Temporal connection, confirmation and progress.
struct RunbookSession {
  let incident: IncidentID
  let endpoint: GRPCEndpoint
  let dependencies: RunbookRunner.Dependencies
  let store: SQLiteEventJournal
  let actor: String
  /// This process as the lease holder.
  let run: RunIdentity
  let leaseSeconds: Double
  /// The crash tests' hook inside a change call (`SALVAGE_TEST_CRASH_AT=in-flight:<RPC>`).
  let changeAnswered: GRPCTemporalClient.ChangeAnswered?
  /// Where the run's story goes: text, or JSON Lines of the events it records.
  let output: RunOutput
  /// What tells the `--notify` webhook how the run goes; `nil` without one (and for a dry run).
  let notifier: RunNotifier?

  init(
    journal: JournalOptions, temporal: TemporalOptions, yes: Bool, output: RunOutput,
    policy: RunbookRunner.PolicyFile? = nil, attribute: RunbookRunner.RestartableAttribute? = nil,
    pollerWait: Double? = nil, claimManager: Bool = false, notify: NotifyRequest? = nil
  ) throws {
    let environment = LiveEnvironment.variables
    self.output = output
    leaseSeconds = try EnvironmentSettings.leaseSeconds(environment)
    let actor = try journal.operatorName(environment)
    let store = try journal.openJournal(environment)
    let id = try journal.resolveIncident(in: store)
    guard let state = try store.state(of: id), let details = state.details else {
      throw CommandError.incident("incident \(id) was never opened")
    }
    output.follow(state)
    // Resolved before anything is journaled: bad configuration exits 64 with nothing written.
    var endpoint = try temporal.endpoint(incidentNamespace: details.namespace, environment)
    let webhook = try notify.flatMap { request in
      try request.options.address(environment) {
        try temporal.resolved(incidentNamespace: details.namespace, environment)
      }
    }
    // The webhook's address is a secret of the run: what the server says is scrubbed of it too.
    endpoint.secrets += webhook?.secrets ?? []
    self.endpoint = endpoint
    let notifier = webhook.flatMap { address in
      notify.map {
        Self.notifier(
          $0, address: address, incident: id, state: state, endpoint: endpoint, store: store,
          actor: actor)
      }
    }
    self.notifier = notifier
    incident = id
    self.store = store
    self.actor = actor
    let run = LiveEnvironment.run(operatorName: actor)
    self.run = run
    changeAnswered = Self.inFlightCrashHook(environment)
    var timing = RunbookRunner.Timing()
    if let pollerWait { timing.pollerWait = pollerWait }
    if let wait = temporal.lostAnswerWait {
      timing.lostAnswerWindow = wait
      timing.perRunLostAnswerWindow = min(timing.perRunLostAnswerWindow, wait)
    }
    if let rps = temporal.rps { timing.callsPerSecond = rps }
    dependencies = .init(
      newEventID: LiveEnvironment.eventID,
      confirm: { command in yes || Self.ask(command, output) },
      notice: { output.notice($0) },
      progress: { progress in
        output.progress(progress)
        notifier?.progress(progress)
      },
      boundary: Self.crashHook(environment),
      clock: ContinuousClock(), policy: policy, attribute: attribute,
      timing: timing,
      lease: .init(run: run, seconds: leaseSeconds, now: LiveEnvironment.now),
      claimManager: claimManager)
  }

  /// The owner of the incident's state for this run: it holds this run's lease, and every batch
  /// of events it commits is told to the run's output (`run --output json` prints each one).
  func owner() -> IncidentOwner {
    .writer(store, incident, actor: actor, lease: dependencies.lease) { [notifier] in
      output.recorded($0, after: $1)
      notifier?.recorded(after: $1)
    }
  }

  /// Connects to Temporal and runs `body` with a runner over `owner` and that connection.
  func withRunner<Result: Sendable>(
    _ owner: IncidentOwner, _ body: (RunbookRunner) async throws -> Result
  ) async throws -> Result {
    try await GRPCTemporalClient.withClient(endpoint, changeAnswered: changeAnswered) { client in
      try await body(RunbookRunner(owner: owner, temporal: client, dependencies: dependencies))
    }
  }

  /// A dry run: `body` drives the normal runner over an in-memory scratch copy of the journal and
  /// a ``PlanningTemporalClient`` over the live connection, so every read is the server's and no
  /// change is sent. It takes no lease and writes nothing to the journal. A sealed incident or a
  /// read-only copy is refused (exit 6), as for a real run.
  func plan(
    _ body: (RunbookRunner) async throws -> RunbookRunner.StopReason
  ) async throws -> (RunbookRunner.StopReason, DryRunPlan) {
    let state = try store.state(of: incident)
    try IncidentOwner.refuseUndrivable(state)
    guard let details = state?.details else {
      throw CommandError.incident("incident \(incident) was never opened")
    }
    let scratch = try SQLiteEventJournal(scratchCopyOf: store)
    var planning = dependencies
    // Nothing to confirm, nothing to hold, and no line saying a change was made.
    planning.confirm = { _ in true }
    planning.notice = { _ in }
    planning.progress = { _ in }
    planning.boundary = { _, _ in }
    planning.lease = nil
    let bad = WorkerDeploymentVersion(deploymentName: details.deployment, buildID: details.badBuild)
    return try await GRPCTemporalClient.withClient(endpoint) { client in
      let planner = PlanningTemporalClient(live: client, bad: bad, now: LiveEnvironment.now)
      let outcome = try await body(
        RunbookRunner(
          journal: scratch, temporal: planner, incident: incident, actor: actor,
          dependencies: planning))
      guard let state = try scratch.state(of: incident) else {
        throw RunbookError.noSuchIncident(incident)
      }
      return (
        outcome,
        DryRunPlan(changes: planner.changes, state: state, awaitedPollers: planner.awaitedPollers)
      )
    }
  }

  /// Takes the incident's lease for this run, runs `body`, and lets the lease go, whatever happened.
  ///
  /// A sealed incident or a read-only copy is refused (exit 6). Another run's live
  /// lease, even the same operator's in another terminal, is refused (exit 6) unless `takeOver`,
  /// which is recorded. A lease that expired, or whose run is gone from this host, is taken without
  /// asking; that too is recorded, and said.
  func drive(
    takeOver: Bool, _ body: (RunbookRunner) async throws -> RunbookRunner.StopReason
  ) async throws -> RunbookRunner.StopReason {
    let owner = owner()
    let found = try owner.acquire(takeOver: takeOver, isRunning: LiveEnvironment.isRunning)
    let acquiredAt = owner.state.version
    if case .ended(let previous) = found {
      output.say(
        "\(previous.holderDescription)'s run is gone from this host; its lease ended with it")
    }
    defer { try? owner.release() }
    do {
      return try await withRunner(owner, body)
    } catch let error as AppendError {
      // Someone kept appending under this run: if another run took the incident over, say who.
      guard case .conflict = error, let taken = try takeOverOfThisRun(after: acquiredAt)
      else { throw error }
      throw Self.stopped(by: taken, incident)
    } catch let error as RunbookError {
      // The runner saw its lease go; the journal says who took it, even if they let it go since.
      if case .leaseLost = error, let taken = try takeOverOfThisRun(after: acquiredAt) {
        throw Self.stopped(by: taken, incident)
      }
      throw error
    }
  }

  /// The latest take-over of this run's lease recorded after `version`, if any.
  private func takeOverOfThisRun(after version: Int) throws -> LeaseAcquired? {
    try store.events(of: incident).reversed().lazy.compactMap({ recorded -> LeaseAcquired? in
      guard recorded.version > version, case .leaseAcquired(let lease) = recorded.event,
        lease.previousRunID == run.runID
      else { return nil }
      return lease
    }).first
  }

  static func stopped(by takeOver: LeaseAcquired, _ incident: IncidentID) -> CommandError {
    CommandError(
      status: .leaseHeld,
      description:
        "\(takeOver.holder)\(takeOver.pid.map { " (pid \($0))" } ?? "") took over incident "
        + "\(incident); this run stopped without acting further")
  }

  /// Asks on a terminal; without one (a pipe, CI) the answer is no: pass --yes. With JSON
  /// output the question goes to stderr, so stdout stays JSON Lines.
  static func ask(_ command: [String], _ output: RunOutput) -> Bool {
    guard Terminal.isTerminal(STDIN_FILENO) else { return false }
    output.question(command)
    return ["y", "yes"].contains(readLine()?.lowercased() ?? "")
  }

  /// `SALVAGE_TEST_CRASH_AT=<boundary>:<action>` kills this process with SIGKILL at that point.
  /// For the crash tests only: it simulates the machine dying mid-action.
  static func crashHook(_ environment: [String: String])
    -> @Sendable (RunbookRunner.Boundary, String) -> Void
  {
    guard let spec = environment["SALVAGE_TEST_CRASH_AT"], let colon = spec.firstIndex(of: ":")
    else {
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
  static func inFlightCrashHook(_ environment: [String: String]) -> GRPCTemporalClient
    .ChangeAnswered?
  {
    guard let spec = environment["SALVAGE_TEST_CRASH_AT"], spec.hasPrefix("in-flight:") else {
      return nil
    }
    let call = String(spec.dropFirst("in-flight:".count))
    return { answered in
      if answered == call { kill(getpid(), SIGKILL) }
    }
  }

  /// Runs a runbook command from start to end: makes the session, drives it, prints how the run
  /// ended (text lines, or the JSON `outcome` line, also when an error ended it), and throws what
  /// stopped it, for its documented exit status.
  static func perform(
    _ output: RunOutput, takeOver: Bool, dryRun: Bool, session make: () throws -> RunbookSession,
    _ body: (RunbookRunner) async throws -> RunbookRunner.StopReason
  ) async throws {
    if dryRun {
      // The plan is printed whole (text, or one JSON document); a stop the real run would make
      // too (a decision, a blocked step) then follows as its message and exit status.
      let session = try make()
      let (outcome, plan) = try await session.plan(body)
      let view = PlanView(
        incident: session.incident, plan: plan, outcome: outcome,
        estimate: DryRunEstimate(
          plan, pace: .init(callsPerSecond: session.dependencies.timing.callsPerSecond)))
      output.document(output.isJSON ? try view.json() : view.text)
      guard view.ending == nil, let error = RunConclusion(outcome, incident: session.incident).error
      else { return }
      throw error
    }
    var incident: IncidentID?
    var notifier: RunNotifier?
    let conclusion: RunConclusion
    do {
      let session = try make()
      incident = session.incident
      notifier = session.notifier
      conclusion = RunConclusion(
        try await session.drive(takeOver: takeOver, body), incident: session.incident)
    } catch {
      conclusion = RunConclusion(failure: error, incident: incident)
    }
    output.conclude(conclusion)
    // The last message, waited for a few seconds at most; what is lost is journaled, not thrown.
    await notifier?.finish(conclusion)
    if let error = conclusion.error { throw error }
  }
}
