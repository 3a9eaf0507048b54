import SalvageCore

/// What `salvage watch` shows of an incident at one moment, worked out from its state alone:
/// the phase, who drives, the action in flight, a batch's or the closed resets' progress, what a
/// wait waits for, and what comes next (and whether a human must do it).
///
/// Each field's value leaves out what moves by itself (a lease's renewal, the clock), so a pipe
/// gets a line only when something happened; the terminal's header shows those.
struct WatchFrame: Equatable {
  struct Field: Equatable {
    let name: String
    let value: String
  }

  /// `Incident orders-1: checkout v2 fails`.
  let title: String
  /// The volatile line under the title on a terminal: the event count and the lease's end.
  let status: String
  let fields: [Field]
  /// Whether the watch ends here: the incident is cleaned or closed, reached `until`, or is driven
  /// from another journal (sealed here by a handoff, or a read-only copy).
  let isFinal: Bool

  /// - Parameters:
  ///   - driver: the lease as this host finds it (``Lease/check(_:by:now:isRunning:)``).
  ///   - until: the phase at which the watch ends, besides cleaned and closed.
  init(_ state: IncidentState, driver: Lease.Check, until: IncidentPhase? = nil) {
    let details = state.details
    title = "Incident \(state.incident)" + (details.map { ": \(VisibleText.flat($0.title))" } ?? "")
    let phase = state.closure == nil ? state.phase : .closed
    var status = "event \(state.version)"
    if let at = state.lastEventAt { status += ", last at \(at) UTC" }
    if case .heldBy(let lease) = driver { status += "; lease until \(lease.expiresAt) UTC" }
    self.status = status
    var fields = [Field(name: "phase", value: phase?.rawValue ?? "(not opened)")]
    fields.append(Field(name: "driving", value: Self.driving(driver)))
    let next = Runbook.nextAction(for: state)
    let drives: Bool
    switch driver {
    case .heldBy, .mine: drives = true
    case .free, .expired, .ended: drives = false
    }
    if let doing = Self.doing(state.progress, drives: drives) {
      fields.append(Field(name: drives ? "doing" : "in doubt", value: doing))
    }
    if let batch = state.progress.runningBatches.last {
      fields.append(Field(name: "batch", value: batch))
    }
    if let closed = Self.closedResets(state.progress) {
      fields.append(Field(name: "closed runs", value: closed))
    }
    if let waiting = Self.waiting(state, next: next) {
      fields.append(Field(name: "waiting", value: waiting))
    }
    let elsewhere = state.custody.flatMap { $0.isDrivable ? nil : $0 }
    if let elsewhere {
      // Sealed here, or a read-only copy: nothing more happens in this journal.
      fields.append(Field(name: "next", value: elsewhere.refusal(state.incident)))
    } else if drives, let flying = state.progress.actions.last(where: \.isInDoubt) {
      // In flight, not interrupted: the runbook's own next action would be to settle it.
      fields.append(Field(name: "next", value: "finish \(flying.id) (the driving run does it)"))
    } else {
      fields.append(Field(name: "next", value: Self.next(next, drives: drives)))
    }
    self.fields = fields
    let ended = state.closure != nil || state.phase == .cleaned || elsewhere != nil
    var reached = false
    if let until, let phase = state.phase { reached = phase >= until }
    isFinal = ended || reached
  }

  static func driving(_ driver: Lease.Check) -> String {
    switch driver {
    case .heldBy(let lease): lease.holderDescription
    case .mine: "this process"
    case .free: "nobody"
    case .expired(let lease):
      "nobody: \(lease.holderDescription)'s lease ran out at \(lease.expiresAt) UTC (its run died)"
    case .ended(let lease): "nobody: \(lease.holderDescription)'s run is gone from this host"
    }
  }

  /// The action started and not ended: in flight while a run drives, in doubt when none does.
  static func doing(_ progress: RunbookProgress, drives: Bool) -> String? {
    guard let action = progress.actions.last(where: \.isInDoubt) else { return nil }
    return "\(action.id) since \(action.startedAt) UTC"
      + (drives ? "" : " (the next run settles it first)")
  }

  /// How many chunks of the frozen closed runs are reset, once they are frozen.
  static func closedResets(_ progress: RunbookProgress) -> String? {
    guard let targets = progress.closedTargets else { return nil }
    let chunks = targets.chunkSizes.indices
    let done = chunks.filter { progress.isDone(.resetClosed, subject: String($0)) }
    let runs = done.reduce(0) { $0 + targets.chunkSizes[$1] }
    return "\(done.count) of \(chunks.count) chunks reset "
      + "(\(runs) of \(targets.chunkSizes.reduce(0, +)) runs)"
  }

  /// What the incident waits for, as the journal last saw it: drainage, workers, a decision.
  static func waiting(_ state: IncidentState, next: RunbookAction) -> String? {
    let progress = state.progress
    let bad = state.details.map {
      WorkerDeploymentVersion(deploymentName: $0.deployment, buildID: $0.badBuild).description
    }
    switch next {
    case .awaitDecision(let types):
      return "a person to decide the strategy of \(types.joined(separator: ", "))"
    case .drain:
      guard let drainage = progress.drainage else {
        return "the server to report \(bad ?? "the bad version") drained (not checked yet)"
      }
      let status = drainage.drainage.name.isEmpty ? "unspecified" : drainage.drainage.name
      return "the server to report \(bad ?? "the bad version") drained: it says \(status), "
        + "\(drainage.runningPinned) Running still pinned"
        + (drainage.checkedAt.map { ", last checked \($0) UTC" } ?? "")
        + (progress.lastRecoveryAt.map { "; it must check after the last recovery at \($0) UTC" }
          ?? "")
        + " (by default the server checks every 3 min, the first 3 min after the version left routing)"
    case .checkPollers, .deleteVersion:
      guard let pollers = progress.pollers, !pollers.identities.isEmpty else { return nil }
      let remembered = Set(pollers.remembered ?? [])
      let live = pollers.identities.filter { !remembered.contains($0) }
      return
        (live.isEmpty
        ? ""
        : "workers still polling \(bad ?? "the bad version"): "
          + live.joined(separator: ", ") + (remembered.isEmpty ? "" : "; "))
        + (remembered.isEmpty
          ? ""
          : "the server to forget stopped workers (within 5 min by default): "
            + remembered.sorted().joined(separator: ", "))
    default:
      return nil
    }
  }

  /// The next action, and who must take it: the driving run, or a person.
  static func next(_ action: RunbookAction, drives: Bool) -> String {
    switch action {
    case .finished, .closed: return action.explanation
    case .awaitDecision: return action.explanation + (action.command.map { ": \($0)" } ?? "")
    default:
      guard !drives else { return action.explanation + " (the driving run does it)" }
      return action.explanation + "; nobody drives: "
        + (action.command.map { "run '\($0)'" } ?? "run 'salvage run'")
    }
  }
}
