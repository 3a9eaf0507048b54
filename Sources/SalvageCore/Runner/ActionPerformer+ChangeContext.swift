extension RunbookRunner.ActionPerformer {
  /// The identity and reason every change of action `id` carries, `what` saying what it does.
  ///
  /// The identity (and so a batch's job id) names the incident and the action; the reason also
  /// names this incident's own opening, so a batch found under the job id tells whether it is this
  /// journal's or another journal's incident of the same name (``checkOwnBatch(_:action:)``).
  func context(_ id: String, _ what: String) -> ChangeContext {
    ChangeContext(
      identity: "salvage/\(runner.incident)/\(id)",
      reason: Self.reason(runner.incident, what, opening: state.details?.openingEvent),
      manager: state.progress.manager?.isHeld == true
        ? ManagerCustody.identity(for: runner.incident) : nil)
  }

  static func reason(_ incident: IncidentID, _ what: String, opening: EventID?) -> String {
    "salvage \(incident)" + (opening.map { " (opened as \($0.rawValue.suffix(8)))" } ?? "")
      + ": \(what)"
  }

  /// What an action of `step` on `subject` does, as its reason says it.
  static func what(_ step: RunbookStep, subject: String?) -> String {
    step.rawValue + (subject.map { " \($0)" } ?? "")
  }

  /// Throws unless batch `job`, found under the job id of action `id`, was started by that
  /// action: its reason must be the action's (or, for a batch launched before reasons named the
  /// opening, the same without it). A batch of another journal's incident of the same name is
  /// never adopted.
  func checkOwnBatch(_ job: BatchJob, action id: String) throws {
    guard let found = job.reason,
      let action = state.progress.actions.first(where: { $0.id == id })
    else { return }
    let what = Self.what(action.step, subject: action.subject)
    let own = [
      Self.reason(runner.incident, what, opening: state.details?.openingEvent),
      Self.reason(runner.incident, what, opening: nil),
    ]
    guard own.contains(found) else {
      throw RunbookError.batchNotOurs(job.id.rawValue, reason: found)
    }
  }
}
