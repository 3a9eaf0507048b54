/// The lease a run keeps: which run holds it, how long each renewal lasts, and the clock.
public struct LeaseTerms: Sendable {
  public let run: RunIdentity
  public let seconds: Double
  public let now: @Sendable () -> UTCTime

  public init(run: RunIdentity, seconds: Double, now: @escaping @Sendable () -> UTCTime) {
    self.run = run
    self.seconds = seconds
    self.now = now
  }

  /// The renewal due at `now` for this run's lease: when half of it is gone. Another run's
  /// lease (even the same operator's) is never renewed.
  func renewal(of lease: Lease?) -> LeaseRenewed? {
    guard let lease, lease.runID == run.runID else { return nil }
    let current = now()
    let left =
      Double(lease.expiresAt.millisecondsSinceEpoch - current.millisecondsSinceEpoch) / 1000
    guard left < seconds / 2 else { return nil }
    return LeaseRenewed(
      holder: run.operatorName, expiresAt: current.adding(seconds: seconds), runID: run.runID)
  }
}

/// The lease and custody rules: who may drive an incident, record a change of course, or hand it off.
extension IncidentOwner {
  /// Throws when `state` says the run holding `terms` may no longer drive: its lease is gone to
  /// another run (taken over, or released), or the incident was sealed or is a read-only copy.
  public static func checkHold(_ state: IncidentState, by terms: LeaseTerms) throws(RunbookError) {
    try refuseUndrivable(state)
    guard state.lease?.runID == terms.run.runID else {
      throw .leaseLost(state.incident, to: state.lease?.holderDescription)
    }
  }

  /// Throws when this journal does not drive the incident: sealed here by a handoff, or a
  /// read-only copy. Notes are always taken; runs, decisions, closures and handoffs are not.
  public static func refuseUndrivable(_ state: IncidentState?) throws(RunbookError) {
    if let state, let custody = state.custody, !custody.isDrivable {
      throw .notDrivable(state.incident, custody)
    }
  }

  /// Throws when a handoff by `actor` on `host` would take the incident from a run that drives
  /// it: its lease has not expired, or its process still lives on this host (busy past its
  /// lease's end), unless that run is the caller's own and is gone from this host.
  public static func refuseHandoff(
    _ state: IncidentState?, by actor: String, on host: String, now: UTCTime,
    isRunning: (Int) -> Bool
  ) throws(RunbookError) {
    try refuseUndrivable(state)
    guard let state, let lease = state.lease else { return }
    if lease.holder == actor, lease.hasEnded(onHost: host, isRunning: isRunning) { return }
    guard lease.expiresAt > now || lease.livesOn(host, isRunning: isRunning) else { return }
    throw .leaseHeld(state.incident, lease)
  }

  /// Throws when this owner's run may no longer drive the incident as `state` has it; without a
  /// lease (a dry run, a command that does not drive) there is nothing to check.
  func checkHold(_ state: IncidentState) throws(RunbookError) {
    guard let lease else { return }
    try Self.checkHold(state, by: lease)
  }

  /// Throws when this run may no longer drive the incident as this owner has it.
  public func checkHold() throws(RunbookError) { try checkHold(state) }

  /// Renews the lease when half of it is gone, so a long wait keeps the incident.
  public func keepLease() throws {
    guard let lease, lease.renewal(of: state.lease) != nil else { return }
    try record([])
  }

  /// Whether this run may still send a change, asked of the journal as it is at that moment
  /// (not adopted: the action in hand was decided on the state it has). A run that no longer
  /// holds the lease throws; a closed incident answers ``RunbookRunner/MayAct/Answer/closed``.
  public func mayAct() throws -> RunbookRunner.MayAct.Answer {
    guard let now = try journal.state(of: incident) else {
      throw RunbookError.noSuchIncident(incident)
    }
    try checkHold(now)
    return now.closure == nil ? .act : .closed
  }

  /// Takes the incident's lease for this owner's run. A sealed incident or a read-only copy is
  /// refused; so is another run's live lease (even the same operator's in another terminal)
  /// unless `takeOver`, which is recorded. A lease that expired, or whose run is gone from this
  /// host, is taken without asking, and recorded as such. Returns what the run found.
  public func acquire(takeOver: Bool, isRunning: (Int) -> Bool) throws -> Lease.Check {
    guard let lease else { preconditionFailure("acquire needs the run's lease terms") }
    var found = Lease.Check.free
    try update { state in
      try Self.refuseUndrivable(state)
      let now = lease.now()
      found = Lease.check(state?.lease, by: lease.run, now: now, isRunning: isRunning)
      if case .heldBy(let held) = found, !takeOver {
        throw RunbookError.leaseHeld(incident, held)
      }
      return [
        .leaseAcquired(
          LeaseAcquired(lease.run, expiresAt: now.adding(seconds: lease.seconds), found: found))
      ]
    }
    return found
  }

  /// Lets this run's lease go, unless another run has it by now.
  public func release() throws {
    guard let lease else { return }
    try update { state in
      guard state?.lease?.runID == lease.run.runID else { return [] }
      return [.leaseReleased(LeaseReleased(holder: lease.run.operatorName, runID: lease.run.runID))]
    }
  }
}

extension UTCTime {
  /// This time `seconds` later, to the millisecond.
  func adding(seconds: Double) -> UTCTime {
    UTCTime(millisecondsSinceEpoch: millisecondsSinceEpoch + Int64(seconds * 1000))
  }
}
