/// What a dry run would do: every change the planning client recorded, in order, each with the
/// step and subject of the action that made it (read from the dry run's scratch journal).
public struct DryRunPlan: Equatable, Sendable {
  /// One change.
  public struct Step: Equatable, Sendable {
    /// The action making it (`stop-1`, `recover-OrderWorkflow-1`, `reset-closed-1`…).
    public let action: String
    public let step: RunbookStep
    public let subject: String?
    public let safety: SafetyClass
    /// The `temporal` command that does the same, secrets redacted.
    public let command: [String]
    /// The request salvage would send, in the API's JSON form, secrets redacted.
    public let request: String
    /// A closed run's reset (or restart): its target as visibility shows it now.
    public let closedRun: WorkflowRun?
    /// What kind of call it is, for the estimate.
    public let call: DryRunEstimate.Call
    /// For a batch: how many executions its query matches now.
    public let selected: Int?
  }

  public let steps: [Step]
  /// Closed runs the plan resets: those visibility shows now. The real run lists them again after
  /// drainage, so this part is provisional until then.
  public let closedRuns: Int
  /// Closed runs left out because they were already reset.
  public let closedAlreadyReset: Int
  /// Workers polling the bad version when the plan reached clean-up: the real run waits for them.
  public let awaitedPollers: [String]
  /// The latest review of the overrides (`salvage unpin`'s plan records one).
  public let overrideReview: OverridesReviewed?

  /// Why the closed part of a plan is provisional, said the same way in text and JSON.
  public static let provisionalNote =
    "provisional until drainage: the real run lists the closed runs again once the bad version has drained, "
    + "and checks each one just before its reset"

  /// The plan from the changes a planning client recorded and the scratch journal's state after the
  /// dry run. Changes come in the order their actions started; a closed-reset chunk's runs in the
  /// order the chunk holds them (by run id), whatever order the concurrent resets finished in.
  public init(
    changes: [PlanningTemporalClient.PlannedChange], state: IncidentState, awaitedPollers: [String]
  ) {
    let actions = Dictionary(
      state.progress.actions.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
    var order: [String] = []
    var grouped: [String: [PlanningTemporalClient.PlannedChange]] = [:]
    for change in changes {
      if grouped[change.identity] == nil { order.append(change.identity) }
      grouped[change.identity, default: []].append(change)
    }
    steps = order.flatMap { identity -> [Step] in
      // Per run, a restart's termination comes before its start.
      let group = (grouped[identity] ?? []).sorted {
        ($0.change.targetRun?.runID ?? "", $0.change.isStart ? 1 : 0) < (
          $1.change.targetRun?.runID ?? "", $1.change.isStart ? 1 : 0
        )
      }
      guard let action = actions[identity] else { return [] }
      return group.map { planned in
        Step(
          action: action.id, step: action.step, subject: action.subject, safety: action.safety,
          command: planned.intent.command, request: planned.intent.request,
          closedRun: action.step == .resetClosed ? planned.change.targetRun : nil,
          call: DryRunEstimate.Call(planned.change), selected: planned.selected)
      }
    }
    closedRuns = state.progress.closedTargets?.chunkSizes.reduce(0, +) ?? 0
    closedAlreadyReset = state.progress.closedTargets?.alreadyReset ?? 0
    self.awaitedPollers = awaitedPollers
    overrideReview = state.progress.overrideReviews.last?.review
  }
}

extension TemporalChange {
  /// The one run a per-run change acts on: a closed reset's, a restart's termination's or start's.
  var targetRun: WorkflowRun? {
    switch self {
    case .resetRun(let workflowID, let runID, _, _), .terminateRun(let workflowID, let runID):
      WorkflowRun(workflowID: workflowID, runID: runID)
    case .startAgain(let first, _, _, _):
      WorkflowRun(workflowID: first.workflowID, runID: first.runID)
    default: nil
    }
  }

  var isStart: Bool {
    if case .startAgain = self { return true }
    return false
  }
}
