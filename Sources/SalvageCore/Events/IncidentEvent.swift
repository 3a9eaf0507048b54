/// Every fact an incident's journal can hold, one case per ``EventPayload`` type.
///
/// Later capabilities add cases; each needs an entry in ``IncidentEvent/decode(type:schemaVersion:payload:)``
/// and a rule in the fold (`IncidentState+Apply.swift`).
public enum IncidentEvent: Equatable, Sendable {
  case opened(IncidentOpened)
  case noteAdded(NoteAdded)
  case closed(IncidentClosed)

  /// The frozen type name stored with the event.
  public var typeName: String { payloadType.typeName }

  /// The payload schema version stored with the event.
  public var schemaVersion: Int { payloadType.schemaVersion }

  private var payloadType: any EventPayload.Type {
    switch self {
    case .opened: IncidentOpened.self
    case .noteAdded: NoteAdded.self
    case .closed: IncidentClosed.self
    }
  }

  /// The payload value itself.
  public var payload: any EventPayload {
    switch self {
    case .opened(let payload): payload
    case .noteAdded(let payload): payload
    case .closed(let payload): payload
    }
  }
}
