public import Foundation

/// The projection of one incident: everything its events say, folded in order.
///
/// The fold (``apply(_:)``) is pure and total: every event in any order yields a state, never a
/// crash. Events that make no sense where they stand (a second `IncidentOpened`, say) are kept as
/// ``anomalies`` so `status` and `verify` can show them instead of hiding them.
///
/// The journal stores this value as JSON in its checkpoint, in the same transaction as the events
/// it covers; bump ``format`` whenever the stored shape changes, so old checkpoints are rebuilt.
public struct IncidentState: Codable, Equatable, Sendable {
  /// The version of this type's stored shape.
  public static let format = 6

  /// How many of the latest notes the state keeps; all of them stay in the journal.
  public static let recentNoteLimit = 5

  /// What `IncidentOpened` said.
  public struct Details: Codable, Equatable, Sendable {
    public var deployment: String
    public var badBuild: String
    public var goodBuild: String
    public var namespace: String
    public var title: String
    public var openedBy: String
    public var openedAt: UTCTime
    /// The `IncidentOpened` event's id: this incident's own, where another journal's incident of
    /// the same name has another (its random tail goes into every batch's reason).
    public var openingEvent: EventID?
  }

  /// One operator note.
  public struct Note: Codable, Equatable, Sendable {
    public var version: Int
    public var at: UTCTime
    public var by: String
    public var text: String
  }

  /// How the incident was closed.
  public struct Closure: Codable, Equatable, Sendable {
    public var at: UTCTime
    public var by: String
    public var reason: String
  }

  /// An event that contradicted the state where it stood; kept, never dropped.
  public struct Anomaly: Codable, Equatable, Sendable {
    public var version: Int
    public var message: String
  }

  /// The incident.
  public let incident: IncidentID
  /// How many events have been applied (the incident's version).
  public internal(set) var version = 0
  /// The global position of the last applied event (0 before any).
  public internal(set) var lastPosition: Int64 = 0
  /// The current phase; `nil` until the incident is opened.
  public internal(set) var phase: IncidentPhase?
  /// The incident's details; `nil` until the incident is opened.
  public internal(set) var details: Details?
  /// How many notes the incident has.
  public internal(set) var noteCount = 0
  /// The latest ``recentNoteLimit`` notes, oldest first: the state stays the same size however
  /// many notes are written (`handoff` and `timeline` read all of them from the events).
  public internal(set) var recentNotes: [Note] = []
  /// Set once the incident is closed.
  public internal(set) var closure: Closure?
  /// Time of the last applied event.
  public internal(set) var lastEventAt: UTCTime?
  /// Events that made no sense where they stood.
  public internal(set) var anomalies: [Anomaly] = []
  /// The runbook's actions and evidence.
  public internal(set) var progress = RunbookProgress()
  /// The lease of the operator whose run drives the incident, if any.
  public internal(set) var lease: Lease?
  /// Who is responsible for the incident: the last to take its lease or to be handed it.
  public internal(set) var holder: String?
  /// Handoffs, in order.
  public internal(set) var handoffs: [Handoff] = []
  /// Whether this journal may drive the incident: `nil` in the journal it was opened in, until
  /// a handoff by export seals it.
  public internal(set) var custody: Custody?

  /// One handoff between shifts.
  public struct Handoff: Codable, Equatable, Sendable {
    public var at: UTCTime
    public var from: String
    public var to: String
    public var note: String?
  }

  /// The state before any event.
  public init(incident: IncidentID) {
    self.incident = incident
  }

  /// Folds events in order from the empty state.
  public static func replay(_ incident: IncidentID, _ events: some Sequence<RecordedEvent>)
    -> IncidentState
  {
    var state = IncidentState(incident: incident)
    for event in events { state.apply(event) }
    return state
  }

  /// The state as canonical JSON, for the journal's snapshot (sorted keys, so equal states are
  /// equal bytes; a faster `codec` writes the same bytes).
  public func snapshotJSON(codec: any JSONCodec = FoundationJSONCodec()) throws -> Data {
    try codec.encode(self)
  }

  /// Whether more work may be recorded: opened and not closed.
  public var isOpen: Bool { details != nil && closure == nil }
}
