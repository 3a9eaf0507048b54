import Foundation
import SalvageCore

/// One recorded event for `--output json`: the envelope, its one-line summary, and its payload
/// exactly as the journal stores it.
///
/// The same shape in every command's JSON (`recorded` of note, close, decide, import) and in the
/// JSON Lines of `run` (with `"kind": "event"`), so a script reads events one way.
struct EventView: Encodable {
  let kind = "event"
  let position: Int64
  let eventId: String
  let incident: String
  let version: Int
  let type: String
  let summary: String
  let recordedAt: String
  let actor: String
  let payload: JSONValue

  init(_ recorded: RecordedEvent) {
    position = recorded.position
    eventId = recorded.id.rawValue
    incident = recorded.incident.rawValue
    version = recorded.version
    type = recorded.event.typeName
    summary = recorded.event.summary
    recordedAt = recorded.recordedAt.description
    actor = recorded.actor
    payload = JSONValue(parsing: recorded.event.canonicalPayload())
  }
}
