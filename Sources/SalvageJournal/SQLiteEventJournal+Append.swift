import Foundation
import GRDB
public import SalvageCore

extension SQLiteEventJournal {
  /// Appends events in one `BEGIN IMMEDIATE` transaction, with the incident's checkpoint.
  ///
  /// A retry (first event id already stored) returns the events as first recorded when the content
  /// matches, and throws ``AppendError/eventIDReused(_:)`` when it does not. Otherwise the incident's
  /// version must equal `expectedVersion`, or ``AppendError/conflict(incident:expected:actual:)``.
  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?
  ) throws -> [RecordedEvent] {
    if let executions, !executions.isConsistent(with: events, digest: digest(of:)) {
      throw AppendError.digestMismatch(executions.eventID)
    }
    guard !events.isEmpty else { return [] }
    var result: [RecordedEvent] = []
    do {
      try database.inTransaction(.immediate) { db in
        if let retried = try Self.retried(events, incident: incident, actor: actor, db) {
          result = retried
          return .rollback
        }
        let actual =
          try Int.fetchOne(
            db, sql: "SELECT max(version) FROM events WHERE incident = ?",
            arguments: [incident.rawValue]) ?? 0
        guard actual == expectedVersion else {
          throw AppendError.conflict(incident: incident, expected: expectedVersion, actual: actual)
        }
        var state = try Self.checkpointState(incident, version: actual, db)
        var previous =
          try Data.fetchOne(
            db, sql: "SELECT hash FROM events WHERE incident = ? AND version = ?",
            arguments: [incident.rawValue, actual]) ?? EventHash.genesis
        let time = now()
        for (offset, pending) in events.enumerated() {
          let row = StoredEvent(
            position: 0, eventID: pending.id.rawValue, incident: incident.rawValue,
            version: actual + offset + 1, type: pending.event.typeName,
            schemaVersion: pending.event.schemaVersion, payload: pending.event.canonicalPayload(),
            recordedAt: time.description, actor: actor, hash: Data())
          let hash = EventHash.chain(previous: previous, row)
          try Self.insert(row.with(hash: hash), db)
          let recorded = RecordedEvent(
            position: db.lastInsertedRowID, id: pending.id, incident: incident,
            version: row.version, recordedAt: time, actor: actor, event: pending.event)
          state.apply(recorded)
          result.append(recorded)
          previous = hash
        }
        if let executions { try Self.insert(executions, db) }
        try Self.writeCheckpoint(state, db)
        return .commit
      }
    } catch let error as AppendError {
      throw error
    } catch let error as JournalError {
      throw error
    } catch {
      throw Self.map(error)
    }
    return result
  }

  /// The stored events when this append is a retry; `nil` when none of its ids is stored.
  private static func retried(
    _ events: [PendingEvent], incident: IncidentID, actor: String, _ db: Database
  ) throws -> [RecordedEvent]? {
    var found: [RecordedEvent] = []
    for pending in events {
      guard let row = try storedEvent(id: pending.id, db) else {
        if found.isEmpty { continue }
        throw AppendError.partialRetry(pending.id)
      }
      let same =
        row.incident == incident.rawValue && row.type == pending.event.typeName
        && row.payload == pending.event.canonicalPayload()
      guard same else { throw AppendError.eventIDReused(pending.id) }
      found.append(try row.recorded())
    }
    if found.isEmpty { return nil }
    guard found.count == events.count else {
      throw AppendError.partialRetry(events[found.count].id)
    }
    return found
  }

  private static func storedEvent(id: EventID, _ db: Database) throws -> StoredEvent? {
    try Row.fetchOne(
      db, sql: "SELECT \(StoredEvent.columns) FROM events WHERE event_id = ?",
      arguments: [id.rawValue]
    ).map(StoredEvent.init(row:))
  }

  /// The incident's state at `version`: from its checkpoint when current, else replayed.
  static func checkpointState(_ incident: IncidentID, version: Int, _ db: Database) throws
    -> IncidentState
  {
    if let row = try Row.fetchOne(
      db, sql: "SELECT version, format, state FROM checkpoints WHERE incident = ?",
      arguments: [incident.rawValue]),
      row[0] as Int == version, row[1] as Int == IncidentState.format,
      let state = try? JSONDecoder().decode(IncidentState.self, from: Data((row[2] as String).utf8))
    {
      return state
    }
    return IncidentState.replay(incident, try events(of: incident, db))
  }

  /// Inserts one event row with its hash; its position is the next rowid.
  static func insert(_ row: StoredEvent, _ db: Database) throws {
    try db.execute(
      sql: """
        INSERT INTO events
          (event_id, incident, version, type, schema_version, payload, recorded_at, actor, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        row.eventID, row.incident, row.version, row.type, row.schemaVersion,
        String(decoding: row.payload, as: UTF8.self), row.recordedAt, row.actor, row.hash,
      ])
  }

  static func insert(_ set: ExecutionSet, _ db: Database) throws {
    let statement = try db.makeStatement(
      sql: """
        INSERT INTO execution_sets (event_id, workflow_id, run_id, workflow_type, status, problems, chunk)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """)
    for record in set.records {
      try statement.execute(arguments: [
        set.eventID.rawValue, record.workflowID, record.runID, record.workflowType,
        record.status.rawValue, record.hasReportedProblems ? 1 : 0, record.chunk,
      ])
    }
  }

  static func writeCheckpoint(_ state: IncidentState, _ db: Database) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let json = String(decoding: try encoder.encode(state), as: UTF8.self)
    try db.execute(
      sql: """
        INSERT INTO checkpoints (incident, version, position, phase, is_open, format, state)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (incident) DO UPDATE SET
          version = excluded.version, position = excluded.position, phase = excluded.phase,
          is_open = excluded.is_open, format = excluded.format, state = excluded.state
        """,
      arguments: [
        state.incident.rawValue, state.version, state.lastPosition, state.phase?.rawValue,
        state.isOpen ? 1 : 0, IncidentState.format, json,
      ])
  }
}
