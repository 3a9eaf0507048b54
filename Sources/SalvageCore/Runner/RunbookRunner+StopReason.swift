extension RunbookRunner {
  /// Why the run stopped.
  public enum StopReason: Equatable, Sendable {
    /// The incident is cleaned.
    case finished
    /// The incident reached the `--until` phase.
    case reached(IncidentPhase)
    /// The incident is closed: nothing to do.
    case closed
    /// These Workflow Types need a strategy decision (`salvage decide`).
    case needsDecision([String])
    /// Workers still poll the bad version: they must be stopped first.
    case needsPollersGone([String])
    /// Something outside salvage must change first; the text says what.
    case blocked(String)
    /// The operator declined (or could not be asked) to run this command.
    case declined([String])
    /// A single-step run finished its step.
    case stepDone(RunbookStep)
    /// A single-step run was asked for a step the incident has not reached.
    case notReady(asked: RunbookStep, next: RunbookStep)
    /// `salvage unpin` reviewed the overrides and removed those it could.
    case unpinned(UnpinOutcome)
  }
}
