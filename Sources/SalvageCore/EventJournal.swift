/// The port to the incident journal: append with optimistic concurrency, read back, project.
///
/// Invariants every implementation keeps:
/// - Events are only ever appended; positions are gapless and versions contiguous per incident.
/// - `append` commits all of its events or none, together with the projection checkpoint.
/// - An append whose first event id is already stored is a retry: with the same content it returns
///   the events as first recorded; with different content it throws ``AppendError/eventIDReused``.
public protocol EventJournal: Sendable {
  /// Appends events to an incident whose current version must be `expectedVersion`, and, in the
  /// same transaction, a set of executions one of them names (an identification, say).
  ///
  /// The journal checks that the set's digest is the one the naming event carries.
  func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?
  ) throws -> [RecordedEvent]

  /// Appends as ``append(_:to:expectedVersion:actor:executions:)`` does and returns the events with
  /// the incident's state after them, `state` being its state at `expectedVersion`. A journal that
  /// folds as it appends (the SQLite one) hands back its own fold, so no writer folds them again.
  func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?, onto state: IncidentState
  ) throws -> (events: [RecordedEvent], state: IncidentState)

  /// The executions stored beside the event with this id, sorted by run id.
  func executions(namedBy eventID: EventID) throws -> [ExecutionRecord]

  /// The executions of one chunk of the set the event with this id names, sorted by run id: a
  /// frozen set of a million runs is read a chunk at a time, never whole.
  func executions(namedBy eventID: EventID, chunk: Int) throws -> [ExecutionRecord]

  /// SHA-256 of a set's canonical text, as lowercase hex: the digest events carry.
  func digest(of records: [ExecutionRecord]) -> String

  /// Every event of one incident, in order.
  func events(of incident: IncidentID) throws -> [RecordedEvent]

  /// The projected state of one incident, from its checkpoint; `nil` if it has no events.
  func state(of incident: IncidentID) throws -> IncidentState?

  /// Every incident in the journal with its phase, by id.
  func incidents() throws -> [IncidentSummary]
}

extension EventJournal {
  /// The whole set, filtered: for journals that hold their sets in memory anyway.
  public func executions(namedBy eventID: EventID, chunk: Int) throws -> [ExecutionRecord] {
    try executions(namedBy: eventID).filter { $0.chunk == chunk }
  }

  /// Folds the recorded events onto `state`: the journal itself keeps no state.
  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?, onto state: IncidentState
  ) throws -> (events: [RecordedEvent], state: IncidentState) {
    let recorded = try append(
      events, to: incident, expectedVersion: expectedVersion, actor: actor, executions: executions)
    var folded = state
    for event in recorded where event.version == folded.version + 1 { folded.apply(event) }
    return (recorded, folded)
  }

  /// Appends events to an incident whose current version must be `expectedVersion`.
  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String
  ) throws -> [RecordedEvent] {
    try append(
      events, to: incident, expectedVersion: expectedVersion, actor: actor, executions: nil)
  }
}

/// One line of the journal's table of contents.
public struct IncidentSummary: Equatable, Sendable {
  public let incident: IncidentID
  public let phase: IncidentPhase?
  public let version: Int
  public let isOpen: Bool

  /// Creates a summary.
  public init(incident: IncidentID, phase: IncidentPhase?, version: Int, isOpen: Bool) {
    self.incident = incident
    self.phase = phase
    self.version = version
    self.isOpen = isOpen
  }
}

/// Why an append was refused; nothing was written.
public enum AppendError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Someone else appended first: re-read the state, decide again, retry.
  case conflict(incident: IncidentID, expected: Int, actual: Int)
  /// An event id already stored names a different event.
  case eventIDReused(EventID)
  /// Some of the batch's event ids are stored and some are not.
  case partialRetry(EventID)
  /// An execution set's digest does not match its records or its naming event.
  case digestMismatch(EventID)

  public var description: String {
    switch self {
    case .conflict(let incident, let expected, let actual):
      "incident \(incident) moved on: expected version \(expected), found \(actual) "
        + "(another operator appended first)"
    case .eventIDReused(let id):
      "event id \(id) is already recorded with different content"
    case .partialRetry(let id):
      "retried batch only partly matches what is recorded (event id \(id))"
    case .digestMismatch(let id):
      "the executions stored with event \(id) do not match its digest"
    }
  }
}
