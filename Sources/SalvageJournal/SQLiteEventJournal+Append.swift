import Foundation
import GRDB
public import SalvageCore

extension SQLiteEventJournal {
  /// Appends events in one write transaction, with the incident's head row when its
  /// phase or openness changes and, when due, its state snapshot.
  ///
  /// A retry (first event id already stored) returns the events as first recorded when the content
  /// matches, and throws ``AppendError/eventIDReused(_:)`` when it does not. Otherwise the incident's
  /// version must equal `expectedVersion`, or ``AppendError/conflict(incident:expected:actual:)``.
  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?
  ) throws -> [RecordedEvent] {
    try appendFolding(
      events, to: incident, expectedVersion: expectedVersion, actor: actor, executions: executions
    ).events
  }

  /// Appends as ``append(_:to:expectedVersion:actor:executions:)`` and hands back the state this
  /// journal folded with the events, rather than folding them onto `state` again. Nothing
  /// appended leaves `state` as it is; a retry's events, stored before, are folded onto it.
  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?, onto state: IncidentState
  ) throws -> (events: [RecordedEvent], state: IncidentState) {
    let appended = try appendFolding(
      events, to: incident, expectedVersion: expectedVersion, actor: actor, executions: executions)
    if let folded = appended.state { return (appended.events, folded) }
    var folded = state
    for event in appended.events where event.version == folded.version + 1 { folded.apply(event) }
    return (appended.events, folded)
  }

  /// The append itself: the events, and the state after them when this call committed them.
  private func appendFolding(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?
  ) throws -> (events: [RecordedEvent], state: IncidentState?) {
    try executions?.check(against: events, digest: digest(of:))
    // The set in run-id order, its blocks' order, when this journal just digested it.
    let rows = executions.map { set in
      ExecutionSet(
        eventID: set.eventID, records: digests.takeSorted(set.records) ?? set.records,
        digest: set.digest)
    }
    guard !events.isEmpty else { return ([], nil) }
    var result: [RecordedEvent] = []
    var committed: StateCache.Entry?
    do {
      try writeTransaction { db in
        let last = try Self.lastEvent(of: incident, db) ?? .none
        guard last.version == expectedVersion else {
          if let retried = try Self.retried(events, incident: incident, actor: actor, db) {
            result = retried
            return .rollback
          }
          throw AppendError.conflict(
            incident: incident, expected: expectedVersion, actual: last.version)
        }
        var entry = try cache.entry(incident, matching: last) ?? Self.load(incident, at: last, db)
        let (phaseBefore, openBefore) = (entry.state.phase, entry.state.isOpen)
        let time = now()
        let recordedAt = time.description
        for pending in events {
          let row = StoredEvent(
            position: 0, eventID: pending.id.rawValue, incident: incident.rawValue,
            version: entry.state.version + 1, type: pending.event.typeName,
            schemaVersion: pending.event.schemaVersion,
            payload: pending.event.canonicalPayload(codec: FastJSONCodec()),
            recordedAt: recordedAt, actor: actor, hash: Data())
          let hash = EventHash.chain(previous: entry.hash, row)
          do {
            try Self.insert(row.with(hash: hash), db)
          } catch let error as DatabaseError
            where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE
          {
            // An id stored before: a retry of events recorded earlier, or an id reused.
            if let retried = try Self.retried(events, incident: incident, actor: actor, db) {
              result = retried
              return .rollback
            }
            throw error
          }
          let recorded = RecordedEvent(
            position: db.lastInsertedRowID, id: pending.id, incident: incident,
            version: row.version,
            recordedAt: time, actor: actor, event: pending.event)
          entry.state.apply(recorded)
          entry.hash = hash
          result.append(recorded)
        }
        if let rows { try Self.insert(rows, db) }
        if last.version == 0 || entry.state.phase != phaseBefore || entry.state.isOpen != openBefore
        {
          try Self.writeHead(entry.state, db)
        }
        if entry.checkpointVersion.map({ entry.state.version - $0 >= checkpointInterval }) ?? true {
          try Self.writeCheckpoint(entry.state, db)
          entry.checkpointVersion = entry.state.version
        }
        committed = entry
        return .commit
      }
    } catch let error as AppendError {
      throw error
    } catch let error as JournalError {
      throw error
    } catch {
      throw Self.map(error, path: file)
    }
    if let committed { cache.store(committed) }
    return (result, committed?.state)
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
        && row.payload == pending.event.canonicalPayload(codec: FastJSONCodec())
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

  /// The incident's last event's version and hash; `nil` when it has no events.
  static func lastEvent(of incident: IncidentID, _ db: Database) throws -> LastEvent? {
    let query = RawStatement(
      try db.cachedStatement(
        sql: "SELECT version, hash FROM events WHERE incident = ? ORDER BY version DESC LIMIT 1"))
    return try query.first({ $0.text(1, incident.rawValue) }) { row in
      LastEvent(version: row.integer(0), hash: row.blob(1))
    }
  }

  /// The incident's state up to its last event: its snapshot when of the current format, plus the events
  /// after it; every event when there is no usable snapshot.
  static func load(_ incident: IncidentID, at last: LastEvent, _ db: Database) throws
    -> StateCache.Entry
  {
    guard last.version > 0 else {
      return StateCache.Entry(
        state: IncidentState(incident: incident), hash: last.hash, checkpointVersion: nil)
    }
    var state = IncidentState(incident: incident)
    var checkpointVersion: Int?
    if let row = try Row.fetchOne(
      db, sql: "SELECT version, format, state FROM checkpoints WHERE incident = ?",
      arguments: [incident.rawValue]),
      (row[1] as Int) == IncidentState.format, (row[0] as Int) <= last.version,
      let stored = try? JSONDecoder().decode(
        IncidentState.self, from: Data((row[2] as String).utf8)),
      stored.version == (row[0] as Int)
    {
      state = stored
      checkpointVersion = stored.version
    }
    for event in try events(of: incident, after: state.version, db) { state.apply(event) }
    return StateCache.Entry(state: state, hash: last.hash, checkpointVersion: checkpointVersion)
  }

  /// Inserts one event row with its hash; its position is the next rowid.
  static func insert(_ row: StoredEvent, _ db: Database) throws {
    let insert = RawStatement(
      try db.cachedStatement(
        sql: """
          INSERT INTO events
            (event_id, incident, version, type, schema_version, payload, recorded_at, actor, hash)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """))
    try insert.insert { columns in
      columns.text(1, row.eventID)
      columns.text(2, row.incident)
      columns.integer(3, row.version)
      columns.text(4, row.type)
      columns.integer(5, row.schemaVersion)
      columns.text(6, row.payload)
      columns.text(7, row.recordedAt)
      columns.text(8, row.actor)
      columns.blob(9, row.hash)
    }
  }

  /// Inserts a set's records a block to a row (``ExecutionBlock``): an identification can hold
  /// hundreds of thousands of runs.
  static func insert(_ set: ExecutionSet, _ db: Database) throws {
    let rows = RawStatement(
      try db.cachedStatement(
        sql: "INSERT INTO execution_blocks (event_id, block, chunk, runs) VALUES (?, ?, ?, ?)"))
    var index = 0
    try ExecutionBlock.forEachBlock(of: set.records) { chunk, bytes in
      try rows.insert { row in
        row.text(1, set.eventID.rawValue)
        row.integer(2, index)
        row.integer(3, chunk)
        row.blob(4, bytes)
      }
      index += 1
    }
  }

  /// Writes the incident's phase and openness, when an event changed them.
  static func writeHead(_ state: IncidentState, _ db: Database) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO heads (incident, phase, is_open) VALUES (?, ?, ?)
        ON CONFLICT (incident) DO UPDATE SET phase = excluded.phase, is_open = excluded.is_open
        """
    ).execute(arguments: [state.incident.rawValue, state.phase?.rawValue, state.isOpen ? 1 : 0])
  }

  /// Writes the state snapshot readers start from.
  static func writeCheckpoint(_ state: IncidentState, _ db: Database) throws {
    let json = String(decoding: try state.snapshotJSON(codec: FastJSONCodec()), as: UTF8.self)
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
