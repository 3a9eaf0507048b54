/// The postmortem record of one incident, built from its events alone.
public struct Timeline: Sendable {
  /// One event, as a line of the record.
  public struct Entry: Equatable, Sendable, Codable {
    public let version: Int
    public let at: UTCTime
    public let actor: String
    public let step: String
    public let type: String
    public let summary: String
  }

  /// One `temporal` command salvage ran, with its outcome.
  public struct Command: Equatable, Sendable, Codable {
    public let action: String
    public let step: String
    public let safety: String
    public let command: String
    public let startedAt: UTCTime
    public let endedAt: UTCTime?
    public let outcome: String
    public let batchJob: String?
    public let batchCounts: String?
  }

  /// How long the incident stood in one phase.
  public struct PhaseSpan: Equatable, Sendable, Codable {
    public let phase: String
    public let start: UTCTime
    public let end: UTCTime?

    /// Seconds in the phase; `nil` while it lasts.
    public var seconds: Double? {
      end.map { Double($0.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000 }
    }
  }

  /// Affected Running executions still on the bad build at a moment: the chart's points. In
  /// ``series`` (all types together) they come from identification (its Running groups, summed)
  /// and from each drainage check (`runningPinned`, visibility's count at that check).
  public struct Point: Equatable, Sendable, Codable {
    public let at: UTCTime
    public let running: Int
  }

  /// A drainage observation with its time.
  public struct Drainage: Equatable, Sendable, Codable {
    public let at: UTCTime
    public let drainage: DrainageStatus
    public let runningPinned: Int
  }

  public let incident: IncidentID
  public let state: IncidentState
  public let entries: [Entry]
  public let commands: [Command]
  public let phases: [PhaseSpan]
  public let decisions: [StrategyDecided]
  public let drainage: [Drainage]
  public let affected: [AffectedGroup]
  public let series: [Point]
  /// Running executions still pinned, per Workflow Type (see ``TypeSeries``), by type name.
  public let pinnedByType: [TypeSeries]
  /// Closed runs reset so far, one point per event that reset some (see ``ResetPoint``).
  public let closedRunsReset: [ResetPoint]

  /// Seconds from opening to drained: nothing Running left on the bad build.
  public var timeToRecovery: Double? { secondsUntil(.drained) }
  /// Seconds from opening to cleaned.
  public var timeToClean: Double? { secondsUntil(.cleaned) }

  private func secondsUntil(_ phase: IncidentPhase) -> Double? {
    guard let opened = phases.first?.start,
      let reached = phases.first(where: { $0.phase == phase.rawValue })?.start
    else { return nil }
    return Double(reached.millisecondsSinceEpoch - opened.millisecondsSinceEpoch) / 1000
  }

  /// Builds the record by replaying the events once.
  public init(_ incident: IncidentID, _ events: [RecordedEvent]) {
    self.incident = incident
    var state = IncidentState(incident: incident)
    var entries: [Entry] = []
    var phases: [PhaseSpan] = []
    var drainage: [Drainage] = []
    var series: [Point] = []
    var charted = TimelineSeries()
    for event in events {
      let before = state.phase
      state.apply(event)
      charted.add(event, in: state)
      if state.phase != before, let phase = state.phase {
        if let last = phases.popLast() {
          phases.append(PhaseSpan(phase: last.phase, start: last.start, end: event.recordedAt))
        }
        phases.append(PhaseSpan(phase: phase.rawValue, start: event.recordedAt, end: nil))
      }
      switch event.event {
      case .affectedIdentified(let identified):
        let running = identified.groups.filter { $0.status == .running }.map(\.count).reduce(0, +)
        series.append(Point(at: event.recordedAt, running: running))
      case .drainageObserved(let observed):
        drainage.append(
          Drainage(
            at: event.recordedAt, drainage: observed.drainage, runningPinned: observed.runningPinned
          ))
        series.append(Point(at: event.recordedAt, running: observed.runningPinned))
      default: break
      }
      // How this journal came to hold a copy is not part of the incident's record.
      if case .imported(let imported) = event.event, imported.mode == .copy { continue }
      entries.append(
        Entry(
          version: event.version, at: event.recordedAt, actor: event.actor,
          step: Self.step(of: event.event, in: state), type: event.event.typeName,
          summary: event.event.summary))
    }
    self.state = state
    self.entries = entries
    self.phases = phases
    self.drainage = drainage
    self.series = series
    pinnedByType = charted.pinnedByType
    closedRunsReset = charted.resets
    decisions = state.progress.decisions.values.sorted { $0.workflowType < $1.workflowType }
    affected = state.progress.identification?.groups ?? []
    commands = state.progress.actions.map { action in
      let batch = state.progress.batches[action.id]
      return Command(
        action: action.id, step: action.step.rawValue, safety: action.safety.rawValue,
        command: ShellQuoting.line(action.command), startedAt: action.startedAt,
        endedAt: action.endedAt,
        outcome: action.outcome?.rawValue ?? "in doubt", batchJob: action.batchJob,
        batchCounts: batch.map(\.counts))
    }
  }

  private static func step(of event: IncidentEvent, in state: IncidentState) -> String {
    func action(_ id: String) -> String {
      state.progress.actions.first { $0.id == id }?.step.rawValue ?? "-"
    }
    switch event {
    case .opened, .closed: return "incident"
    case .noteAdded: return "note"
    case .rolloutObserved: return RunbookStep.stop.rawValue
    case .actionStarted(let started): return started.step.rawValue
    case .actionSucceeded(let outcome): return action(outcome.action)
    case .actionFailed(let outcome): return action(outcome.action)
    case .actionAbandoned(let outcome): return action(outcome.action)
    case .actionReconciled(let outcome): return action(outcome.action)
    case .batchProgressed(let batch): return action(batch.action)
    case .closedRunsReset(let reset): return action(reset.action)
    case .runsRestarted(let restarted): return action(restarted.action)
    case .restartTargetsFrozen: return RunbookStep.recover.rawValue
    case .affectedIdentified: return RunbookStep.identify.rawValue
    case .strategyDecided: return RunbookStep.decide.rawValue
    case .drainageObserved: return RunbookStep.drain.rawValue
    case .closedTargetsFrozen: return RunbookStep.resetClosed.rawValue
    case .pollersChecked, .versionDeleted: return RunbookStep.cleanUp.rawValue
    case .overridesReviewed: return RunbookStep.unpin.rawValue
    case .managerReturned: return RunbookStep.stop.rawValue
    case .leaseAcquired, .leaseRenewed, .leaseReleased, .handedOff, .imported: return "lease"
    }
  }
}

extension BatchProgressed {
  /// `120/300 done, 0 failed`, and `, still running` until the batch finished.
  public var counts: String {
    "\(complete)/\(total) done, \(failure) failed" + (finished ? "" : ", still running")
  }
}
