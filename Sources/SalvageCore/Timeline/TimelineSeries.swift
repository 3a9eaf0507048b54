extension Timeline {
  /// Running executions of one Workflow Type still pinned to the bad build, over time.
  ///
  /// Each point is one event's word on that type, at the event's `recordedAt`; between points the
  /// count is simply the last one known (nothing is interpolated). The points come from:
  /// - `AffectedExecutionsIdentified`: the type's Running groups, summed. A type an earlier
  ///   identification listed and a later one does not gets 0 (the groups are the whole count).
  /// - `BatchProgressed` of a `recover` action whose subject is the type: the batch's
  ///   `total - complete`. A recovery's query is the type's Running executions pinned to the bad
  ///   build, so `total` is how many were pinned when it started, and every target not complete
  ///   (failed, or not reached yet) is still pinned. A batch that failed as a whole reports no
  ///   counts and gives no point.
  /// - `RestartTargetsFrozen` of the type: the runs frozen plus those refused (all Running then),
  ///   and `RunsRestarted` of its round: that, less the runs it (or a crashed run of it) started
  ///   again, each of which was terminated first.
  /// - `DrainageObserved` with `runningPinned == 0`: 0 for every type charted so far. A drainage
  ///   count above 0 is a total over all types and is not apportioned: it is in ``Timeline/series``.
  public struct TypeSeries: Equatable, Sendable, Codable {
    public let workflowType: String
    public let points: [Point]
  }

  /// How many closed runs have been reset so far, as of one event (a cumulative count).
  ///
  /// From `ClosedRunsReset` events: ``reset`` counts the runs with an outcome `reset` (or
  /// `restarted`, for a type that restarts: the run was replaced the same way), each run
  /// (workflow id and run id) once however many chunks name it. ``alreadyReset`` counts, apart,
  /// the runs found `already-reset` when checked and never reset by salvage in this journal
  /// (reset before, by an earlier attempt whose outcome was lost or by someone else): they are not
  /// added to ``reset``, so neither count is claimed twice. Runs left alone or refused are in
  /// neither. Runs the freeze left out as already reset (`ClosedTargetsFrozen.alreadyReset`) were
  /// never targets and are not counted.
  ///
  /// Journals recorded before each run was checked reset a chunk with one RunId-scoped batch: its
  /// `BatchProgressed` counts `complete` runs reset, with no run ids. Those add to ``reset`` as the
  /// largest `complete` of any batch of that chunk, so a chunk sent twice is counted once, at least.
  public struct ResetPoint: Equatable, Sendable, Codable {
    public let at: UTCTime
    public let reset: Int
    public let alreadyReset: Int
  }
}

/// Folds events, one at a time and after the state has applied each, into the chart's series.
struct TimelineSeries {
  private var byType: [String: [Timeline.Point]] = [:]
  /// Per Workflow Type, the runs (workflow id and run id) its restart rounds moved since its
  /// latest freeze, each once: a journal's rounds before they took chunks each went over the whole
  /// freeze, so a later round found an earlier one's runs already restarted.
  private var movedSinceFreeze: [String: Set<String>] = [:]
  private var resetRuns: Set<String> = []
  private var alreadyResetRuns: Set<String> = []
  /// Per chunk reset by batch (older journals), the most runs any of its batches reset.
  private var batchResets: [String: Int] = [:]
  private(set) var resets: [Timeline.ResetPoint] = []

  /// One series per Workflow Type, by type name.
  var pinnedByType: [Timeline.TypeSeries] {
    byType.keys.sorted().map { Timeline.TypeSeries(workflowType: $0, points: byType[$0] ?? []) }
  }

  mutating func add(_ event: RecordedEvent, in state: IncidentState) {
    let at = event.recordedAt
    switch event.event {
    case .affectedIdentified(let identified):
      var running: [String: Int] = [:]
      for group in identified.groups where group.status == .running {
        running[group.workflowType, default: 0] += group.count
      }
      for type in Set(byType.keys).union(running.keys) {
        byType[type, default: []].append(Timeline.Point(at: at, running: running[type] ?? 0))
      }
    case .batchProgressed(let batch):
      guard let action = state.progress.actions.first(where: { $0.id == batch.action }) else {
        return
      }
      switch action.step {
      case .recover:
        // A batch that failed as a whole, or one the server is still counting, says nothing
        // of what is left.
        guard let type = action.subject, !(batch.state == .failed && batch.total == 0),
          batch.finished || batch.total > 0
        else {
          return
        }
        byType[type, default: []].append(
          Timeline.Point(at: at, running: max(batch.total - batch.complete, 0)))
      case .resetClosed:
        let chunk = action.subject ?? action.id
        batchResets[chunk] = max(batchResets[chunk] ?? 0, batch.complete)
        recordResets(at: at)
      default:
        return
      }
    case .restartTargetsFrozen(let frozen):
      movedSinceFreeze[frozen.workflowType] = []
      byType[frozen.workflowType, default: []].append(
        Timeline.Point(at: at, running: frozen.count + frozen.refused.count))
    case .runsRestarted(let round):
      guard let freeze = state.progress.restartFreezes[round.workflowType] else { return }
      // What is still Running is what no round moved.
      for outcome in round.outcomes
      where outcome.result == .restarted || outcome.result == .alreadyRestarted
        || outcome.isStartedElsewhere
      {
        movedSinceFreeze[round.workflowType, default: []].insert(outcome.runKey)
      }
      let moved = movedSinceFreeze[round.workflowType]?.count ?? 0
      byType[round.workflowType, default: []].append(
        Timeline.Point(
          at: at, running: max(freeze.frozen.count + freeze.frozen.refused.count - moved, 0)))
    case .drainageObserved(let observed) where observed.runningPinned == 0:
      for type in byType.keys {
        byType[type, default: []].append(Timeline.Point(at: at, running: 0))
      }
    case .closedRunsReset(let chunk):
      for outcome in chunk.outcomes {
        switch outcome.result {
        case .reset, .restarted: resetRuns.insert(outcome.runKey)
        case .alreadyReset, .alreadyRestarted: alreadyResetRuns.insert(outcome.runKey)
        case .leftAlone, .failed: break
        }
      }
      recordResets(at: at)
    default:
      return
    }
  }

  private mutating func recordResets(at: UTCTime) {
    resets.append(
      Timeline.ResetPoint(
        at: at, reset: resetRuns.count + batchResets.values.reduce(0, +),
        alreadyReset: alreadyResetRuns.subtracting(resetRuns).count))
  }
}
