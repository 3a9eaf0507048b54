extension RunbookRunner {
  /// Whether this run may still send a change, asked of the journal as it is at that moment. A
  /// long per-run action (a chunk of closed resets, a restart round) asks before every reset,
  /// terminate and start, so a take-over, a seal or a close stops it before its next change rather
  /// than after the whole action.
  ///
  /// A run that no longer holds the lease (``IncidentOwner/checkHold(_:by:)``: taken over, sealed, a
  /// read-only copy) throws: it records nothing more, and the new driver settles the action run by
  /// run. A closed incident answers ``Answer/closed``: this run still holds it, so it records what
  /// it did and what it no longer sent, and then stops.
  public struct MayAct: Sendable {
    public enum Answer: Sendable { case act, closed }

    private let check: @Sendable () throws -> Answer

    public init(_ check: @escaping @Sendable () throws -> Answer) { self.check = check }

    /// `.act`, `.closed`, or the ``RunbookError`` that says why this run must stop at once.
    public func callAsFunction() throws -> Answer { try check() }
  }
}

extension RunbookRunner.ActionPerformer {
  /// This run's ``RunbookRunner/MayAct``: its owner's answer (``IncidentOwner/mayAct()``).
  func mayAct() -> RunbookRunner.MayAct {
    let owner = runner.owner
    return RunbookRunner.MayAct { try owner.mayAct() }
  }
}

extension ExecutionRecord {
  /// The outcome of a run whose change was not sent because the incident was closed meanwhile.
  func notSentAfterClose() -> RunResetOutcome {
    outcome(.leftAlone, "not sent: the incident was closed meanwhile")
  }
}
