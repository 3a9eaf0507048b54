import Synchronization

/// The one owner of an incident's state in a process. Every event a run or a command records goes
/// through it: it appends, adopts the state the journal folded with them (one fold, the journal's),
/// renews this run's lease as it goes, and retries a version conflict in one loop. The lease and
/// custody rules live here too (``IncidentOwner+Lease.swift``), applied before every append and,
/// through ``mayAct()``, before every per-run change.
///
/// A run's steps read ``state`` and record through the owner; the CLI's one-shot writers (`note`,
/// `decide`, `close`, `handoff`, `import`, `open`) and the lease of `run` go through ``update(_:)``.
public final class IncidentOwner: Sendable {
  public let journal: any EventJournal
  public let incident: IncidentID
  public let actor: String
  /// This run's lease, when it drives the incident; `nil` for a command that records without
  /// driving it, and for a dry run.
  public let lease: LeaseTerms?
  private let newEventID: @Sendable () -> EventID
  /// Told every batch of events this owner committed, after the append returned, with the state
  /// after them (the run's output tells its story from it rather than folding them again).
  private let recorded: @Sendable ([RecordedEvent], IncidentState) -> Void
  /// Between two attempts of ``update(_:)`` after a conflict (a short random pause in the CLI).
  private let pause: @Sendable () -> Void
  private let held: Mutex<IncidentState>

  /// An owner of `incident` in `journal`; its state is empty until ``adopt()`` or a write reads it.
  public init(
    journal: any EventJournal, incident: IncidentID, actor: String,
    newEventID: @escaping @Sendable () -> EventID, lease: LeaseTerms? = nil,
    recorded: @escaping @Sendable ([RecordedEvent], IncidentState) -> Void = { _, _ in },
    pause: @escaping @Sendable () -> Void = {}
  ) {
    self.journal = journal
    self.incident = incident
    self.actor = actor
    self.newEventID = newEventID
    self.lease = lease
    self.recorded = recorded
    self.pause = pause
    held = Mutex(IncidentState(incident: incident))
  }

  /// The incident as this owner last recorded or adopted it.
  public var state: IncidentState { held.withLock { $0 } }

  /// Adopts the journal's state as it is now, another writer's events included; throws when the
  /// incident has no events.
  @discardableResult
  public func adopt() throws -> IncidentState {
    guard let fresh = try journal.state(of: incident) else {
      throw RunbookError.noSuchIncident(incident)
    }
    held.withLock { $0 = fresh }
    return fresh
  }

  /// How often one append is tried against other writers before the conflict is the answer.
  static let appendAttempts = 100

  /// Appends what a run observed or decided, with a lease renewal when one is due. On a version
  /// conflict (another shell appended first: a note, a decision, a handoff) it adopts the journal's
  /// state and appends a fact (an outcome, an observation) again: it is true whatever was appended;
  /// but when what it adopted changed the incident's course (a decision, a closure), the run
  /// decides again after it (``Reconsider``), since what it was about to do next was decided
  /// before. An intent or a decision was made from the state before, so it is not appended: the
  /// run decides again. Nothing is appended on a hold this run no longer has.
  ///
  /// `executions` are stored beside the first event, in the same transaction.
  public func record(_ events: [IncidentEvent], executions: [ExecutionRecord]? = nil) throws {
    let isDecision = events.contains(where: \.isDecision)
    try held.withLock { state in
      var changedCourse = false
      for attempt in 1... {
        try checkHold(state)
        let renewal = lease?.renewal(of: state.lease).map { [IncidentEvent.leaseRenewed($0)] } ?? []
        let pending = (events + renewal).map { PendingEvent(id: newEventID(), event: $0) }
        // A renewal found no longer due once another writer's was adopted: nothing to append.
        guard !pending.isEmpty else { break }
        let set = executions.flatMap { records in
          pending.first.map {
            ExecutionSet(eventID: $0.id, records: records, digest: $0.event.namedSetDigest ?? "")
          }
        }
        do {
          try append(pending, executions: set, to: &state)
          // A take-over committed just before shows in the state read back: stop here.
          try checkHold(state)
          break
        } catch AppendError.conflict where attempt < Self.appendAttempts {
          let fresh = try journal.state(of: incident) ?? IncidentState(incident: incident)
          changedCourse =
            changedCourse || fresh.progress.decisions != state.progress.decisions
            || fresh.closure != state.closure
          state = fresh
          if isDecision {
            try checkHold(state)
            throw Reconsider()
          }
        }
      }
      if changedCourse { throw Reconsider() }
    }
  }

  /// Reads the journal's state, asks `decide` for events, and appends them at that version; on a
  /// conflict, reads again and decides again. `decide` sees `nil` for an incident with no events.
  @discardableResult
  public func update(_ decide: (IncidentState?) throws -> [IncidentEvent]) throws
    -> [RecordedEvent]
  {
    try held.withLock { state in
      for attempt in 1... {
        state = try journal.state(of: incident) ?? IncidentState(incident: incident)
        let events = try decide(state.version == 0 ? nil : state)
        if events.isEmpty { return [] }
        do {
          return try append(
            events.map { PendingEvent(id: newEventID(), event: $0) }, executions: nil, to: &state)
        } catch AppendError.conflict where attempt < Self.appendAttempts * 2 {
          pause()
        }
      }
      preconditionFailure("unreachable: the last attempt rethrows")
    }
  }

  /// Appends at `state`'s version and adopts the state the journal folded with the events.
  private func append(
    _ pending: [PendingEvent], executions: ExecutionSet?, to state: inout IncidentState
  ) throws -> [RecordedEvent] {
    let appended = try journal.append(
      pending, to: incident, expectedVersion: state.version, actor: actor, executions: executions,
      onto: state)
    state = appended.state
    recorded(appended.events, appended.state)
    return appended.events
  }
}

/// Thrown when an intent or a decision met another writer's events: the run decides again.
struct Reconsider: Error {}

extension IncidentEvent {
  /// An intent or a decision the runner made from the state it had: when another writer appended
  /// first, it is made again from the new state rather than recorded as it was.
  var isDecision: Bool {
    switch self {
    case .actionStarted, .strategyDecided: true
    default: false
    }
  }
}
