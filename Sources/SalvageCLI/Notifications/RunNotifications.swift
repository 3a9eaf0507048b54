import SalvageCore

/// Decides which notifications a run sends, from what it tells its output: the incident's state
/// after each batch of recorded events (a phase change), each progress line of a long wait (a
/// stall past the threshold), and how the run ended. Pure: the caller passes the time.
struct RunNotifications: Sendable {
  let incident: IncidentID
  /// The command that drove the run, `salvage run` or a step's (`salvage drain`), for the
  /// command to run again.
  let command: String
  /// How long a wait may go on before it is said to stall; said again each time as long again.
  let stallAfter: Double
  private var phase: IncidentPhase?
  /// Per wait (a batch's job, drainage, …): how many stall messages it has had, and when this run
  /// first and last saw it (for a wait whose progress carries no time of its own).
  private var waits: [String: Wait] = [:]
  /// The wait the last progress line was about.
  private var lastWait: String?

  private struct Wait {
    var stalls = 0
    var firstSeen: Double
    var lastSeen: Double
    var waited = 0.0

    init(seen: Double) {
      firstSeen = seen
      lastSeen = seen
    }
  }

  init(incident: IncidentID, command: String, phase: IncidentPhase?, stallAfter: Double) {
    self.incident = incident
    self.command = command
    self.phase = phase
    self.stallAfter = stallAfter
  }

  /// Events were recorded and left the incident in `state`: a message when its phase changed.
  mutating func recorded(after state: IncidentState, elapsed: Double) -> [RunNotification] {
    guard let now = state.phase, now != phase else { return [] }
    let before = phase
    phase = now
    var message = RunNotification(
      kind: .phaseChanged, incident: incident.rawValue,
      text: "salvage: incident \(incident) is now \(now.rawValue)"
        + (before.map { " (was \($0.rawValue))" } ?? ""),
      elapsedSeconds: Int(elapsed))
    message.phase = now.rawValue
    message.previousPhase = before?.rawValue
    return [message]
  }

  /// A long wait's progress: a message when it has gone on past the threshold (again at twice,
  /// three times the threshold, and so on).
  mutating func progress(_ progress: RunbookRunner.Progress, elapsed: Double) -> [RunNotification] {
    let key = Self.wait(of: progress)
    var wait = waits[key] ?? Wait(seen: elapsed)
    // A wait timed by this run that stopped being reported (other progress came, or none for
    // longer than its pauses explain) has ended: the next one seen is a new wait.
    if Self.waited(progress) == nil,
      lastWait != key || elapsed - wait.lastSeen > Self.silence(progress)
    {
      wait = Wait(seen: elapsed)
    }
    wait.lastSeen = elapsed
    lastWait = key
    let waited = Self.waited(progress).map(Double.init) ?? (elapsed - wait.firstSeen)
    // The runner began this wait again (a new drain wait after recoveries were sent again).
    if waited < wait.waited { wait.stalls = 0 }
    wait.waited = waited
    let due = stallAfter > 0 ? Int((waited / stallAfter).rounded(.down)) : 0
    defer { waits[key] = wait }
    guard due > wait.stalls else { return [] }
    wait.stalls = due
    var message = RunNotification(
      kind: .stalled, incident: incident.rawValue,
      text: "salvage: incident \(incident) has been waiting for \(ProgressLine.clock(waited)): "
        + RunNotice.text(progress),
      elapsedSeconds: Int(elapsed))
    message.phase = phase?.rawValue
    message.waitedSeconds = Int(waited)
    return [message]
  }

  /// The run ended: a message for a person (exit 10, 11, 13) with the command to run then, or
  /// the end (done, reached, failed).
  func concluded(_ conclusion: RunConclusion, elapsed: Double) -> RunNotification {
    let status = conclusion.status
    let said = conclusion.error.map(ExitStatus.message(for:)) ?? conclusion.lines.first
    let human = [.needsDecision, .needsOperator, .declined].contains(status)
    let text =
      human
      ? "salvage: incident \(incident) needs a person (exit \(status.rawValue)): \(said ?? "")"
      : "salvage: the run of incident \(incident) ended (exit \(status.rawValue)): "
        + (said ?? conclusion.outcome)
    var message = RunNotification(
      kind: human ? .humanNeeded : .ended, incident: incident.rawValue, text: text,
      elapsedSeconds: Int(elapsed))
    message.phase = conclusion.phase ?? phase?.rawValue
    message.outcome = conclusion.outcome
    message.exit = status.rawValue
    message.command = human ? nextCommand(conclusion) : nil
    return message
  }

  /// What a person runs: the decision to record (exit 10), the same command again once they
  /// acted (exit 11; with `--claim-manager` when the stop itself names it, a controller managing
  /// the deployment), or again with `--yes` (exit 13), keeping the claim of the manager that a run
  /// without `--yes` implies and `--yes` alone turns off.
  private func nextCommand(_ conclusion: RunConclusion) -> String {
    let again = "\(command) --incident \(ShellQuoting.quote(incident.rawValue))"
    let claim = RunbookAction.claimManager(from: "").command ?? "salvage run --claim-manager"
    switch conclusion.status {
    case .needsDecision:
      let decide = RunbookAction.awaitDecision(workflowTypes: conclusion.workflowTypes ?? [])
      return (decide.command ?? "salvage decide") + ", then " + again
    case .needsOperator
    where conclusion.error.map(ExitStatus.message(for:))?.contains("'\(claim)'") == true:
      return again + " --claim-manager"
    case .declined: return again + " --yes --claim-manager"
    default: return again
    }
  }

  /// Which wait a progress line belongs to.
  private static func wait(of progress: RunbookRunner.Progress) -> String {
    switch progress {
    case .batch(let job, _, _, _): "batch \(job)"
    case .drainage: "drainage"
    case .batchSlotBusy: "batch slot"
    case .visibility(let type, _): "visibility \(type)"
    case .pollers: "pollers"
    }
  }

  /// How long a wait timed by this run may go unreported and still be the same wait: twice the
  /// pause the runner said it takes before trying again, and a minute for the tries themselves.
  private static func silence(_ progress: RunbookRunner.Progress) -> Double {
    switch progress {
    case .batchSlotBusy(let retryIn): 2 * retryIn + 60
    default: .infinity
    }
  }

  /// The seconds the runner says the wait has lasted, when it says.
  private static func waited(_ progress: RunbookRunner.Progress) -> Int? {
    switch progress {
    case .batch(_, _, _, let waited): waited
    case .drainage(let wait): wait.waited
    case .batchSlotBusy: nil
    case .visibility(_, let waited): waited
    case .pollers(_, _, let waited): waited
    }
  }
}
