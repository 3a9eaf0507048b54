/// What the runbook needs next: decided purely from the state, carried out by the runner.
public enum RunbookAction: Equatable, Sendable {
  /// A run-once action is in doubt: ask the server whether it took effect before anything else.
  case reconcile(action: String)
  /// A batch started and was never seen to finish (the run that started it died): follow it first.
  case followBatch(action: String)
  /// A repeatable action is in doubt: record that it was abandoned; it will run again.
  case abandon(action: String)
  /// Describe the deployment's routing (before changing it, and after each change).
  case observeRollout
  /// Another identity (a worker controller) manages the deployment: only it may change it, so
  /// salvage takes the deployment's `manager_identity` for the incident (when the operator lets
  /// it), and `salvage close` hands it back.
  case claimManager(from: String)
  /// The bad build is Current: set Current back to the good build.
  case setCurrentToGood
  /// The bad build ramps above 0 %: stop new traffic first.
  case zeroRamp
  /// The bad build ramps at 0 %: remove the ramp (a 0 % ramp never drains).
  case removeRamp
  /// Count and list the affected executions.
  case identify
  /// These Workflow Types need a recorded strategy decision from a human (or a policy).
  case awaitDecision(workflowTypes: [String])
  /// Recover the Running executions of one Workflow Type with its decided strategy.
  case recover(workflowType: String)
  /// Poll drainage (re-issuing the repeatable recoveries when it stalls) until the gate holds.
  case drain
  /// List, hash and chunk the closed runs to reset.
  case freezeClosedTargets
  /// Reset one chunk of the frozen closed runs (run-once).
  case resetClosed(chunk: Int)
  /// See whether workers still poll the bad version, waiting for them to stop.
  case checkPollers
  /// Delete the bad version and confirm it is gone.
  case deleteVersion
  /// The incident is cleaned: nothing left to do.
  case finished
  /// The incident was closed by an operator: nothing will be done.
  case closed
}

extension RunbookAction {
  /// Whether the action changes the deployment's routing (a stop change).
  public var changesRouting: Bool {
    switch self {
    case .setCurrentToGood, .zeroRamp, .removeRamp: true
    default: false
    }
  }

  /// Whether the action changes the deployment (its routing, its manager, a version's delete):
  /// decided only on a describe this run made, as routing and managers change between runs.
  public var changesDeployment: Bool {
    switch self {
    case .setCurrentToGood, .zeroRamp, .removeRamp, .claimManager, .deleteVersion: true
    default: false
    }
  }

  /// The step an action belongs to; `nil` for settling in-doubt actions and for the end states.
  public var step: RunbookStep? {
    switch self {
    case .observeRollout, .setCurrentToGood, .zeroRamp, .removeRamp: .stop
    case .identify: .identify
    case .awaitDecision: .decide
    case .recover: .recover
    case .drain: .drain
    case .freezeClosedTargets, .resetClosed: .resetClosed
    case .checkPollers, .deleteVersion: .cleanUp
    // A claim runs wherever the deployment must change next (the stop, or the delete).
    case .reconcile, .abandon, .followBatch, .claimManager, .finished, .closed: nil
    }
  }
}
