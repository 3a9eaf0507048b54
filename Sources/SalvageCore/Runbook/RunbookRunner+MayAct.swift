extension RunbookRunner {
  /// Whether this run may still send a change, asked of the journal as it is at that moment: it
  /// holds the lease (``LeaseTerms/check(_:)``: not taken over, not sealed or read-only) and the
  /// incident is not closed. A long per-run action (a chunk of closed resets, a restart round) asks
  /// before every reset, terminate and start, so a take-over, a seal or a close stops it before
  /// its next change rather than after the whole action.
  public struct MayAct: Sendable {
    private let check: @Sendable () throws -> Void

    public init(_ check: @escaping @Sendable () throws -> Void) { self.check = check }

    /// Throws the ``RunbookError`` that says why this run must stop.
    public func callAsFunction() throws { try check() }
  }
}

extension RunbookRunner.Step {
  /// This run's ``RunbookRunner/MayAct`` over its journal and lease.
  func mayAct() -> RunbookRunner.MayAct {
    let (journal, incident, terms) = (runner.journal, runner.incident, dependencies.lease)
    return RunbookRunner.MayAct {
      guard let state = try journal.state(of: incident) else {
        throw RunbookError.noSuchIncident(incident)
      }
      try terms?.check(state)
      if state.closure != nil { throw RunbookError.closedMeanwhile(incident) }
    }
  }
}
