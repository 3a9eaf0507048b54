extension RunbookAction {
  /// What the action is, for people.
  public var explanation: String {
    switch self {
    case .reconcile(let id): "reconcile the interrupted run-once action \(id) with the server"
    case .followBatch(let id): "follow the batch of \(id) until it finishes"
    case .abandon(let id): "record the interrupted action \(id) as abandoned and run it again"
    case .observeRollout: "describe the deployment's routing"
    case .claimManager(let holder):
      "take the deployment's manager identity from '\(holder)' for the incident (handed back at close)"
    case .setCurrentToGood: "set Current back to the good build"
    case .zeroRamp: "set the bad build's ramp to 0 %"
    case .removeRamp: "remove the ramp"
    case .identify: "identify the executions pinned to the bad build"
    case .awaitDecision(let types): "decide the strategy of \(types.joined(separator: ", "))"
    case .recover(let type): "recover the Running \(type) executions"
    case .drain: "wait for the bad version to drain"
    case .freezeClosedTargets: "freeze the closed runs to reset"
    case .resetClosed(let chunk): "reset chunk \(chunk) of the closed runs (run-once)"
    case .checkPollers: "wait until no worker polls the bad version"
    case .deleteVersion: "delete the bad version"
    case .finished: "nothing: the incident is cleaned"
    case .closed: "nothing: the incident is closed"
    }
  }

  /// The salvage command that carries the action out.
  public var command: String? {
    switch self {
    case .awaitDecision(let types):
      "salvage decide --type \(ShellQuoting.quote(types.first ?? "T")) --restartable|--no-restartable [--target-build B]"
    case .finished, .closed: nil
    case .claimManager: "salvage run --claim-manager"
    default: "salvage run"
    }
  }
}
