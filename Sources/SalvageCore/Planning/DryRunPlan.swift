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
    /// A closed run's reset: its target as visibility shows it now.
    public let closedRun: (workflowID: String, runID: String)?

    public static func == (lhs: Step, rhs: Step) -> Bool {
      lhs.action == rhs.action && lhs.step == rhs.step && lhs.subject == rhs.subject && lhs.safety == rhs.safety
        && lhs.command == rhs.command && lhs.request == rhs.request
        && lhs.closedRun?.workflowID == rhs.closedRun?.workflowID && lhs.closedRun?.runID == rhs.closedRun?.runID
    }
  }

  public let steps: [Step]
  /// Closed runs the plan resets: those visibility shows now. The real run lists them again after
  /// drainage, so this part is provisional until then.
  public let closedRuns: Int
  /// Closed runs left out because they were already reset.
  public let closedAlreadyReset: Int
  /// Workers polling the bad version when the plan reached clean-up: the real run waits for them.
  public let awaitedPollers: [String]

  /// Why the closed part of a plan is provisional, said the same way in text and JSON.
  public static let provisionalNote =
    "provisional until drainage: the real run lists the closed runs again once the bad version has drained, "
    + "and checks each one just before its reset"

  /// The plan from the changes a planning client recorded and the scratch journal's state after the
  /// dry run. Changes come in the order their actions started; a closed-reset chunk's runs in the
  /// order the chunk holds them (by run id), whatever order the concurrent resets finished in.
  public init(changes: [PlanningTemporalClient.PlannedChange], state: IncidentState, awaitedPollers: [String]) {
    let actions = Dictionary(state.runbook.actions.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
    var order: [String] = []
    var grouped: [String: [PlanningTemporalClient.PlannedChange]] = [:]
    for change in changes {
      if grouped[change.identity] == nil { order.append(change.identity) }
      grouped[change.identity, default: []].append(change)
    }
    steps = order.flatMap { identity -> [Step] in
      let group = (grouped[identity] ?? []).sorted { ($0.change.resetRunID ?? "") < ($1.change.resetRunID ?? "") }
      guard let action = actions[identity] else { return [] }
      return group.map { planned in
        Step(
          action: action.id, step: action.step, subject: action.subject, safety: action.safety,
          command: planned.intent.command, request: planned.intent.request,
          closedRun: planned.change.resetTarget)
      }
    }
    closedRuns = state.runbook.closedTargets?.chunkSizes.reduce(0, +) ?? 0
    closedAlreadyReset = state.runbook.closedTargets?.alreadyReset ?? 0
    self.awaitedPollers = awaitedPollers
  }
}

extension TemporalChange {
  /// The run a closed reset targets.
  var resetTarget: (workflowID: String, runID: String)? {
    if case .resetRun(let workflowID, let runID, _, _) = self { return (workflowID, runID) }
    return nil
  }

  var resetRunID: String? { resetTarget?.runID }
}
