import Foundation
import GRDB
public import SalvageCore

extension SQLiteEventJournal {
  /// Every event of one incident, decoded, in version order.
  public func events(of incident: IncidentID) throws -> [RecordedEvent] {
    try read { db in try Self.events(of: incident, db) }
  }

  /// The incident's events after `version`, decoded, in version order: what a watcher reads
  /// at each look (a read transaction; WAL readers never block the run that appends).
  public func events(of incident: IncidentID, after version: Int) throws -> [RecordedEvent] {
    try read { db in try Self.events(of: incident, after: version, db) }
  }

  static func events(of incident: IncidentID, _ db: Database) throws -> [RecordedEvent] {
    try events(of: incident, after: 0, db)
  }

  /// The incident's events after `version`, in version order.
  static func events(of incident: IncidentID, after version: Int, _ db: Database) throws
    -> [RecordedEvent]
  {
    var rows = try RawEventRows(
      db,
      sql:
        "SELECT \(RawEventRows.columns) FROM events WHERE incident = ? AND version > ? ORDER BY version",
      arguments: [incident.rawValue, version])
    var events: [RecordedEvent] = []
    while let event = try rows.next() { events.append(event) }
    return events
  }

  /// Stored rows, for `log`: one incident's, or the whole journal's when `incident` is nil.
  public func storedEvents(of incident: IncidentID?) throws(JournalError) -> [StoredEvent] {
    try read { db in
      let cursor =
        if let incident {
          try Row.fetchCursor(
            db,
            sql: "SELECT \(StoredEvent.columns) FROM events WHERE incident = ? ORDER BY position",
            arguments: [incident.rawValue])
        } else {
          try Row.fetchCursor(
            db, sql: "SELECT \(StoredEvent.columns) FROM events ORDER BY position")
        }
      return try Array(cursor.map(StoredEvent.init(row:)))
    }
  }

  /// The incident's state: its snapshot plus the events after it (at most ``checkpointInterval``),
  /// or what this object last committed or read when the file has not moved since. A state read
  /// after another process appended is kept too, so the checks a long action makes before every
  /// change (``RunbookRunner/MayAct``) decode it once, not once per run.
  public func state(of incident: IncidentID) throws -> IncidentState? {
    try read { db in
      guard let last = try Self.lastEvent(of: incident, db) else { return nil }
      if let entry = cache.entry(incident, matching: last) { return entry.state }
      let entry = try Self.load(incident, at: last, db)
      cache.store(entry)
      return entry.state
    }
  }

  /// Every incident with its phase (from `heads`) and version, by id.
  public func incidents() throws -> [IncidentSummary] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT incident, phase, (SELECT max(version) FROM events WHERE events.incident = heads.incident), is_open
          FROM heads ORDER BY incident
          """
      ).compactMap { row in
        guard let id = IncidentID(rawValue: row[0]) else { return nil }
        return IncidentSummary(
          incident: id, phase: (row[1] as String?).flatMap(IncidentPhase.init(rawValue:)),
          version: row[2], isOpen: row[3] as Int == 1)
      }
    }
  }
}

extension StoredEvent {
  /// The column list every query of whole rows selects, in ``init(row:)``'s order.
  static let columns =
    "position, event_id, incident, version, type, schema_version, payload, recorded_at, actor, hash"

  init(row: Row) {
    self.init(
      position: row[0], eventID: row[1], incident: row[2], version: row[3], type: row[4],
      schemaVersion: row[5], payload: Data((row[6] as String).utf8), recordedAt: row[7],
      actor: row[8], hash: row[9])
  }
}
