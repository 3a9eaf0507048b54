import SalvageCore
import SalvageFakes

/// An incident's history built event by event, as the runner would record it.
struct RunbookHistory {
  let incident = IncidentID(rawValue: "inc-1")!
  private(set) var events: [RecordedEvent] = []
  private var factory = EventFactory()
  private let clock = SteppingClock()

  init(opened: Bool = true) {
    if opened { record(EventFactory.opened) }  // bad build v2, good build v1
  }

  mutating func record(_ event: IncidentEvent) {
    let pending = factory.pending(event)
    events.append(
      RecordedEvent(
        position: Int64(events.count + 1), id: pending.id, incident: incident,
        version: events.count + 1,
        recordedAt: clock.now(), actor: "alice", event: event))
  }

  var state: IncidentState { IncidentState.replay(incident, events) }
  var next: RunbookAction { Runbook.nextAction(for: state) }
  var lastTime: UTCTime { events.last?.recordedAt ?? UTCTime(millisecondsSinceEpoch: 0) }

  mutating func observe(
    current: String?, ramping: String? = nil, percentage: Double = 0, manager: String? = nil
  ) {
    record(
      .rolloutObserved(
        RolloutObserved(
          currentBuild: current, rampingBuild: ramping, rampPercentage: percentage,
          managerIdentity: manager)))
  }

  /// Starts an action and, unless `outcome` is nil, ends it.
  mutating func act(
    _ step: RunbookStep, subject: String? = nil, safety: SafetyClass = .repeatable,
    outcome: IncidentEvent?? = .some(nil)
  ) {
    let id = state.progress.nextActionID(step, subject: subject)
    record(
      .actionStarted(
        ActionStarted(
          action: id, step: step, subject: subject, safety: safety,
          command: ["temporal", step.rawValue],
          identity: "salvage/inc-1/\(id)")))
    switch outcome {
    case .none: return  // crash: no outcome
    case .some(.none):
      // Recoveries launch batches, which are followed to the end; other steps launch none.
      let job = step == .recover ? "job-\(id)" : nil
      record(.actionSucceeded(ActionSucceeded(action: id, batchJob: job)))
      if let job {
        record(
          .batchProgressed(
            BatchProgressed(
              action: id, batchJob: job, finished: true, total: 1, complete: 1, failure: 0)))
      }
    case .some(.some(let event)): record(event)
    }
  }

  mutating func identify(_ groups: [AffectedGroup]) {
    record(
      .affectedIdentified(
        AffectedExecutionsIdentified(
          groups: groups, unpinnedWithProblems: 0, executionCount: groups.map(\.count).reduce(0, +),
          digest: "d")))
  }

  mutating func decide(_ type: String, restartable: Bool, corrupted: Bool = false) {
    let strategy = Strategy.choose(restartable: restartable, corrupted: corrupted)
    record(
      .strategyDecided(
        StrategyDecided(
          workflowType: type, restartable: restartable, corrupted: corrupted, strategy: strategy,
          targetBuild: strategy.needsReplaySafeBuild ? "v3" : "v1", source: .operatorDecision,
          rationale: "owners said so")))
  }

  mutating func drainage(_ status: DrainageStatus, checkedAt: UTCTime?, runningPinned: Int = 0) {
    record(
      .drainageObserved(
        DrainageObserved(drainage: status, checkedAt: checkedAt, runningPinned: runningPinned)))
  }
}

extension AffectedGroup {
  static func running(_ type: String, _ count: Int) -> AffectedGroup {
    AffectedGroup(workflowType: type, status: .running, count: count, withReportedProblems: count)
  }

  static func failed(_ type: String, _ count: Int) -> AffectedGroup {
    AffectedGroup(workflowType: type, status: .failed, count: count, withReportedProblems: 0)
  }
}
