import Foundation
import SalvageCore
import SalvageJournal

/// Appends events decided from the current state, retrying when another operator got there first.
struct IncidentWriter {
  let journal: SQLiteEventJournal
  let incident: IncidentID
  let actor: String
  var attempts = 200

  /// Reads the state, asks `decide` for events, appends them with the state's version as the
  /// expected version; on a conflict, reads again and decides again.
  func append(_ decide: (IncidentState?) throws -> [IncidentEvent]) throws -> [RecordedEvent] {
    var ids: [EventID] = []
    for attempt in 1...attempts {
      let state = try journal.state(of: incident)
      let events = try decide(state)
      if events.isEmpty { return [] }
      while ids.count < events.count { ids.append(LiveEnvironment.eventID()) }
      let pending = zip(ids, events).map { PendingEvent(id: $0, event: $1) }
      do {
        return try journal.append(
          pending, to: incident, expectedVersion: state?.version ?? 0, actor: actor)
      } catch AppendError.conflict where attempt < attempts {
        usleep(UInt32.random(in: 200...2_000))
      }
    }
    preconditionFailure("unreachable: the last attempt rethrows")
  }
}
