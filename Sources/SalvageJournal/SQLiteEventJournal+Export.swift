import Foundation
import GRDB
public import SalvageCore

extension SQLiteEventJournal {
  /// One incident's events and execution sets, for `salvage export`.
  public func export(_ incident: IncidentID) throws -> IncidentExport {
    try read { db in
      let rows = try Row.fetchAll(
        db, sql: "SELECT \(StoredEvent.columns) FROM events WHERE incident = ? ORDER BY version",
        arguments: [incident.rawValue]
      ).map(StoredEvent.init(row:))
      var sets: [String: [ExecutionRecord]] = [:]
      for row in rows where (try? row.recorded().event.namedSetDigest) != nil {
        sets[row.eventID] = try Self.executions(namedBy: row.eventID, db)
      }
      return IncidentExport(incident: incident, events: rows, executionSets: sets)
    }
  }

  /// Imports a verified export in one transaction: its events keep their ids, times, actors and
  /// hashes, and take the next global positions. Refused if the incident already exists here.
  ///
  /// `then` is appended after the file's events in the same transaction, by `actor`, chained on
  /// from the file's last hash: the record of how this journal took the incident in.
  public func importIncident(
    _ export: IncidentExport, then: [PendingEvent] = [], actor: String = ""
  ) throws {
    do {
      try writeTransaction { db in
        let existing =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM events WHERE incident = ?",
            arguments: [export.incident.rawValue]) ?? 0
        guard existing == 0 else {
          throw ImportError(
            line: 0, reason: "incident \(export.incident) already exists in \(path)")
        }
        var entry = StateCache.Entry(
          state: IncidentState(incident: export.incident), hash: EventHash.genesis,
          checkpointVersion: nil)
        for row in export.events {
          try Self.insert(row, db)
          let recorded = try row.with(hash: row.hash, position: db.lastInsertedRowID).recorded()
          entry.state.apply(recorded)
          entry.hash = row.hash
          if let records = export.executionSets[row.eventID] {
            try Self.insert(ExecutionSet(eventID: recorded.id, records: records, digest: ""), db)
          }
        }
        let time = now()
        for pending in then {
          let row = StoredEvent(
            position: 0, eventID: pending.id.rawValue, incident: export.incident.rawValue,
            version: entry.state.version + 1, type: pending.event.typeName,
            schemaVersion: pending.event.schemaVersion,
            payload: pending.event.canonicalPayload(codec: FastJSONCodec()),
            recordedAt: time.description, actor: actor, hash: Data())
          let hash = EventHash.chain(previous: entry.hash, row)
          try Self.insert(row.with(hash: hash), db)
          entry.state.apply(try row.with(hash: hash, position: db.lastInsertedRowID).recorded())
          entry.hash = hash
        }
        try Self.writeHead(entry.state, db)
        try Self.writeCheckpoint(entry.state, db)
        return .commit
      }
    } catch let error as ImportError {
      throw error
    } catch let error as JournalError {
      throw error
    } catch {
      throw Self.map(error, path: file)
    }
  }
}
