import SalvageCore
import SalvageJournal

/// The journal as a CLI run's runner sees it: the SQLite journal, handing every batch of events
/// it committed to `appended`, so the output tells the run's story from the recorded events
/// (`run --output json` prints each one as it is appended).
///
/// Only committed events are handed on, after the append returned: a conflict or a failed write
/// shows nothing.
struct ObservedEventJournal: EventJournal {
  let base: SQLiteEventJournal
  let appended: @Sendable ([RecordedEvent]) -> Void

  func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?
  ) throws -> [RecordedEvent] {
    let recorded = try base.append(
      events, to: incident, expectedVersion: expectedVersion, actor: actor, executions: executions)
    appended(recorded)
    return recorded
  }

  func executions(namedBy eventID: EventID) throws -> [ExecutionRecord] {
    try base.executions(namedBy: eventID)
  }

  func digest(of records: [ExecutionRecord]) -> String { base.digest(of: records) }

  func events(of incident: IncidentID) throws -> [RecordedEvent] { try base.events(of: incident) }

  func state(of incident: IncidentID) throws -> IncidentState? { try base.state(of: incident) }

  func incidents() throws -> [IncidentSummary] { try base.incidents() }
}
