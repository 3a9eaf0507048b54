import Foundation
import SalvageCore

/// How a run ended, for both outputs: the text lines of a success, or the error (and its exit
/// status) of a stop; with the facts a script needs in the JSON `outcome` line.
struct RunConclusion {
  /// `finished`, `reached`, `closed`, `stepDone`, `needsDecision`, `blocked`,
  /// `needsPollersGone`, `declined`, `notReady`, `unpinned`, or `failed` (an error ended the run).
  let outcome: String
  let incident: String?
  /// The text lines printed when the run succeeded.
  var lines: [String] = []
  /// What stopped the run, thrown after the output so the exit status is the documented one.
  var error: (any Error)?
  var phase: String?
  var step: String?
  var workflowTypes: [String]?
  var commands: [[String]]?

  var status: ExitStatus { error.map(ExitStatus.init(for:)) ?? .success }

  init(outcome: String, incident: String?) {
    self.outcome = outcome
    self.incident = incident
  }

  /// An error met before or during the run (Temporal failed, another run holds the lease, …).
  init(failure: any Error, incident: IncidentID?) {
    self.init(outcome: "failed", incident: incident?.rawValue)
    error = failure
  }

  init(_ outcome: RunbookRunner.StopReason, incident: IncidentID) {
    let id = incident.rawValue
    switch outcome {
    case .finished:
      self.init(outcome: "finished", incident: id)
      phase = IncidentPhase.cleaned.rawValue
      lines = ["Incident \(incident) is cleaned."]
    case .reached(let reached):
      self.init(outcome: "reached", incident: id)
      phase = reached.rawValue
      lines = ["Incident \(incident) reached \(reached.rawValue)."]
    case .closed:
      self.init(outcome: "closed", incident: id)
      lines = ["Incident \(incident) is closed; nothing to do."]
    case .needsDecision(let types):
      self.init(outcome: "needsDecision", incident: id)
      workflowTypes = types
      let command = RunbookAction.awaitDecision(workflowTypes: types).command ?? "salvage decide"
      error = CommandError(
        status: .needsDecision,
        description: "a strategy decision is needed for \(types.joined(separator: ", ")): "
          + "record it with '\(command)', then run again")
    case .blocked(let reason):
      self.init(outcome: "blocked", incident: id)
      error = CommandError(status: .needsOperator, description: reason)
    case .needsPollersGone(let identities):
      self.init(outcome: "needsPollersGone", incident: id)
      error = CommandError(
        status: .needsOperator,
        description:
          "workers still poll the bad version (\(identities.joined(separator: ", "))): stop them, then run again"
      )
    case .declined(let command):
      self.init(outcome: "declined", incident: id)
      commands = [command]
      error = CommandError(
        status: .declined,
        description:
          "not confirmed: \(command.prefix(5).joined(separator: " ")) … (pass --yes to run without asking)"
      )
    case .stepDone(let done):
      self.init(outcome: "stepDone", incident: id)
      step = done.rawValue
      lines = [
        "Step \(done.rawValue) of \(incident) is done; next: salvage run (or the next step's command)."
      ]
    case .unpinned(let done):
      self.init(outcome: "unpinned", incident: id)
      step = RunbookStep.unpin.rawValue
      if done.failed > 0 {
        // A batch did not take effect on every run it named: someone must look at why.
        error = CommandError(status: .needsOperator, description: done.sentence(incident))
      } else {
        lines = [done.sentence(incident)]
      }
    case .notReady(let asked, let next):
      self.init(outcome: "notReady", incident: id)
      step = asked.rawValue
      error = CommandError(
        status: .incident,
        description:
          "incident \(incident) is not at \(asked.rawValue) yet: run 'salvage \(next.rawValue)' "
          + "(or 'salvage run') first")
    }
  }

  /// The final JSON line: `{"kind": "outcome", "outcome": …, "exit": …, "message": …}`.
  func view(elapsedSeconds: Int) -> View {
    View(
      outcome: outcome, incident: incident, exit: status.rawValue,
      message: error.map(ExitStatus.message(for:)) ?? lines.first ?? outcome,
      error: error.map(ExitStatus.message(for:)),
      phase: phase, step: step, workflowTypes: workflowTypes, commands: commands,
      elapsedSeconds: elapsedSeconds)
  }

  struct View: Encodable {
    let kind = "outcome"
    let outcome: String
    let incident: String?
    let exit: Int32
    let message: String
    let error: String?
    let phase: String?
    let step: String?
    let workflowTypes: [String]?
    let commands: [[String]]?
    let elapsedSeconds: Int
  }
}

extension UnpinOutcome {
  /// What `salvage unpin` did, and what is left, in one line.
  func sentence(_ incident: IncidentID) -> String {
    let builds = builds.isEmpty ? "no build" : builds.joined(separator: ", ")
    var text =
      "Incident \(incident): removed the Versioning Overrides to \(builds) from \(unpinned) "
      + "executions"
    if stayOnBuild > 0 {
      text +=
        " (\(stayOnBuild) of them stay on their build by their own Pinned behavior until they close)"
    }
    text +=
      leftPinned > 0 ? "; \(leftPinned) left pinned (the review says why)" : "; none left pinned"
    if failed > 0 {
      text +=
        "; a batch failed on \(failed): look at why (salvage log names its job; temporal batch "
        + "describe --job-id JOB), then run salvage unpin again"
    }
    return text + "."
  }
}
