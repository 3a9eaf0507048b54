/// Every execution salvage acted on, built from the journal alone (docs/design.md §8): what owners take
/// to their compensation tooling.
///
/// - A recovery batch that took effect and selected something stands for the identified Running
///   executions of its type. The server reports counts only, so a new run id is never known from
///   a batch; a type recovered over several rounds is listed once per execution, naming every
///   round's job, since the server does not say which round moved which execution.
/// - A closed reset stands for each run it reset (old run → new run from its outcomes), and for
///   each run its check found already reset, by salvage's crashed run or by someone else, with a
///   note saying who reset it and when, as the run the reset made records it.
/// - A restart round (terminate and restart, Running or closed) stands for each run it started
///   again (old run → new run), and, after a crash, for each run the check found already
///   started again by salvage (by the start's request id on the current run); and, once, each
///   run someone else started again (or reset) meanwhile, as `started-elsewhere` with a note
///   saying who and when, as the server recorded it (salvage left it alone).
/// - A closed reset recorded as a batch (journals from before per-run resets) stands for its
///   frozen chunk, new runs unknown.
public enum CompensationList {
  /// The rows, ordered by time, then workflow id, then run id.
  ///
  /// `identified` and `frozen` are the executions stored beside the identification and the
  /// freeze of closed targets (``EventJournal/executions(namedBy:)``).
  public static func rows(
    of state: IncidentState, identified: [ExecutionRecord], frozen: [ExecutionRecord]
  )
    -> [CompensationRow]
  {
    let progress = state.progress
    return
      (recoveries(progress, identified) + restartRounds(progress)
      + closedResets(progress, frozen, goodBuild: state.details?.goodBuild))
      .sorted {
        ($0.at, $0.workflowID, $0.oldRunID, $0.action) < (
          $1.at, $1.workflowID, $1.oldRunID, $1.action
        )
      }
  }

  static func recoveries(_ progress: RunbookProgress, _ identified: [ExecutionRecord])
    -> [CompensationRow]
  {
    let rounds = progress.actions.filter { action in
      action.step == .recover && action.outcome?.isDone == true
        && progress.restarts[action.id] == nil
        && progress.batches[action.id].map { !$0.finished || $0.total > 0 } ?? true
    }
    return Dictionary(grouping: rounds, by: { $0.subject ?? "" }).sorted { $0.key < $1.key }.flatMap
    {
      entry -> [CompensationRow] in
      let (type, rounds) = (entry.key, entry.value)
      guard let first = rounds.first else { return [] }
      let done = CompensationRow.Done.byBatch(under: progress.decisions[type]?.strategy)
      // A one-time override leaves no pin: the server clears it once a task completed there.
      let target = rounds.last.flatMap { progress.decision(of: $0) }.flatMap {
        $0.overrides == .oneTime ? nil : $0.targetBuild
      }
      let jobs = rounds.compactMap(\.batchJob)
      let note =
        rounds.count > 1
        ? "recovered over \(rounds.count) rounds: the server does not say which moved this one"
        : nil
      return identified.filter { $0.workflowType == type && $0.status == .running }.map { run in
        CompensationRow(
          workflowID: run.workflowID, workflowType: type, statusBefore: run.status, done: done,
          oldRunID: run.runID,
          newRunID: nil, batchJob: jobs.isEmpty ? nil : jobs.joined(separator: " "),
          action: rounds.map(\.id).joined(separator: " "),
          at: progress.batches[first.id]?.startedAt ?? first.startedAt, note: note,
          pinnedTo: target)
      }
    }
  }

  /// The runs restart rounds started again, from each round's outcomes. A run someone else
  /// started again is listed once, at the first round that found it, however many rounds did.
  static func restartRounds(_ progress: RunbookProgress) -> [CompensationRow] {
    var seen: Set<String> = []
    return progress.actions.filter { $0.step == .recover && $0.outcome?.isDone == true }.flatMap {
      action -> [CompensationRow] in
      (progress.restarts[action.id] ?? []).compactMap { outcome in
        guard !outcome.isStartedElsewhere || seen.insert(outcome.elsewhereKey).inserted else {
          return nil
        }
        return row(
          outcome, type: action.subject ?? "", statusBefore: .running, action: action,
          pinnedTo: progress.decision(of: action).flatMap {
            $0.overrides == .oneTime ? nil : $0.targetBuild
          })
      }
    }
  }

  /// A row for a restarted run, or `nil` for an outcome that did nothing.
  static func row(
    _ outcome: RunResetOutcome, type: String, statusBefore: ExecutionStatus?,
    action: RunbookProgress.Action, pinnedTo: String?
  )
    -> CompensationRow?
  {
    let note: String?
    var done = CompensationRow.Done.restart
    switch outcome.result {
    case .restarted: note = nil
    case .alreadyRestarted where action.outcome == .tookEffect:
      note =
        "found already started again by the check after a crash (its start's request id is salvage's)"
    case .leftAlone where outcome.isStartedElsewhere:
      // Someone else started it again (or reset it): who and when, as the server recorded it.
      (note, done) = (outcome.reason, .startedElsewhere)
    default: return nil
    }
    return CompensationRow(
      workflowID: outcome.workflowID, workflowType: type, statusBefore: statusBefore,
      done: done,
      oldRunID: outcome.runID, newRunID: outcome.newRunID, batchJob: nil, action: action.id,
      at: action.endedAt ?? action.startedAt, note: note,
      pinnedTo: done == .startedElsewhere ? nil : pinnedTo)
  }

  static func closedResets(
    _ progress: RunbookProgress, _ frozen: [ExecutionRecord], goodBuild: String?
  )
    -> [CompensationRow]
  {
    let byRun = Dictionary(frozen.map { ($0.runID, $0) }, uniquingKeysWith: { first, _ in first })
    var seen: Set<String> = []
    return progress.actions.filter { $0.step == .resetClosed && $0.outcome?.isDone == true }.flatMap
    {
      action -> [CompensationRow] in
      let at = action.endedAt ?? action.startedAt
      guard let outcomes = progress.closedResets[action.id] else {
        // A closed reset recorded as a batch: its chunk's frozen runs, new runs unknown.
        guard action.batchJob != nil else { return [] }
        let start = progress.batches[action.id]?.startedAt ?? action.startedAt
        return frozen.filter { run in run.chunk.map { String($0) } == action.subject }.map { run in
          CompensationRow(
            workflowID: run.workflowID, workflowType: run.workflowType, statusBefore: run.status,
            done: .reset,
            oldRunID: run.runID, newRunID: nil, batchJob: action.batchJob, action: action.id,
            at: start, pinnedTo: goodBuild)
        }
      }
      return outcomes.compactMap { outcome -> CompensationRow? in
        if outcome.isStartedElsewhere, !seen.insert(outcome.elsewhereKey).inserted { return nil }
        if outcome.result == .restarted || outcome.result == .alreadyRestarted
          || outcome.isStartedElsewhere
        {
          let run = byRun[outcome.runID]
          let type = run?.workflowType ?? ""
          return row(
            outcome, type: type, statusBefore: run?.status, action: action,
            pinnedTo: progress.decisions[type]?.targetBuild)
        }
        var notes: [String] = []
        switch outcome.result {
        case .reset: break
        case .alreadyReset:
          // Who reset it and when, as the run the reset made records it: salvage's own (after a
          // crash) or someone else's; the owners compensate it either way.
          notes.append(
            outcome.reason
              ?? "found already reset by the check: salvage's own reset after a crash, or one by hand"
          )
        default: return nil
        }
        let run = byRun[outcome.runID]
        if run == nil { notes.append("not in the frozen set the journal holds") }
        let note = notes.isEmpty ? nil : notes.joined(separator: "; ")
        return CompensationRow(
          workflowID: outcome.workflowID, workflowType: run?.workflowType ?? "",
          statusBefore: run?.status,
          done: .reset, oldRunID: outcome.runID, newRunID: outcome.newRunID, batchJob: nil,
          action: action.id, at: at,
          note: note, pinnedTo: goodBuild)
      }
    }
  }
}

extension RunResetOutcome {
  /// One run someone else started again, however many rounds or chunks found it.
  fileprivate var elsewhereKey: String { workflowID + "\u{0}" + runID + "\u{0}" + (newRunID ?? "") }
}
