import Foundation
import GRDB
import SalvageCore

/// Reads event rows into ``RecordedEvent``s through a GRDB cursor, each text column's bytes read in
/// place (`withUnsafeData(atIndex:)`): no `String` per column, the payload decoded where SQLite
/// keeps it, and the incident, type and actor of consecutive rows made once. Replaying a long
/// journal is this loop; `StoredEvent` (every column as stored, for `log`, `export` and the hash
/// chain) stays the general path.
struct EventRows {
  /// The columns selected, in order.
  static let columns =
    "position, event_id, incident, version, type, schema_version, payload, recorded_at, actor"

  private let rows: RowCursor
  private var incident: (bytes: [UInt8], id: IncidentID)?
  private var types:
    [(bytes: [UInt8], value: (name: String, reader: IncidentEvent.PayloadReader?))] = []
  private var actors: [(bytes: [UInt8], value: String)] = []

  /// One incident's events after `version`, in version order, by a cached statement.
  init(of incident: String, after version: Int, _ db: Database) throws {
    let statement = try db.cachedStatement(
      sql: """
        SELECT \(Self.columns) FROM events WHERE incident = ? AND version > ? ORDER BY version
        """)
    rows = try Row.fetchCursor(statement, arguments: [incident, version])
  }

  /// The next event, `nil` after the last one.
  mutating func next() throws -> RecordedEvent? {
    guard let row = try rows.next() else { return nil }
    let position: Int64 = row[0]
    func unreadable(_ reason: String) -> JournalError {
      .unreadableEvent(position: position, reason: reason)
    }
    let id = try Self.bytes(row, 1) { bytes in
      guard let id = EventID(utf8: bytes) else {
        throw unreadable("malformed event id \(Quoted(String(decoding: bytes, as: UTF8.self)))")
      }
      return id
    }
    let incident = try Self.bytes(row, 2) { bytes in try self.incident(bytes, unreadable) }
    let time = try Self.bytes(row, 7) { bytes in
      guard let time = UTCTime(utf8: bytes) else {
        throw unreadable("malformed time \(Quoted(String(decoding: bytes, as: UTF8.self)))")
      }
      return time
    }
    let type = try Self.bytes(row, 4) { bytes in
      Self.interned(bytes, in: &types) { ($0, IncidentEvent.reader(forType: $0)) }
    }
    guard let reader = type.reader else {
      throw unreadable(EventDecodingError.unknownType(type.name).description)
    }
    let actor = try Self.bytes(row, 8) { bytes in Self.interned(bytes, in: &actors) { $0 } }
    let schemaVersion: Int = row[5]
    let event = try Self.bytes(row, 6) { bytes in
      do throws(EventDecodingError) {
        return try reader.decode(
          schemaVersion: schemaVersion, payload: UnsafeRawBufferPointer(bytes))
      } catch {
        throw unreadable(error.description)
      }
    }
    return RecordedEvent(
      position: position, id: id, incident: incident, version: row[3], recordedAt: time,
      actor: actor, event: event)
  }

  /// Calls `body` with the bytes of a text column as SQLite holds them (none for NULL).
  private static func bytes<T>(
    _ row: Row, _ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T
  ) throws -> T {
    try row.withUnsafeData(atIndex: index) { data in
      guard let data else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
      return try data.withUnsafeBytes { try body($0.bindMemory(to: UInt8.self)) }
    }
  }

  /// The incident of consecutive rows is usually the same one: compare bytes, validate once.
  private mutating func incident(
    _ bytes: UnsafeBufferPointer<UInt8>, _ unreadable: (String) -> JournalError
  ) throws(JournalError) -> IncidentID {
    if let incident, incident.bytes.elementsEqual(bytes) { return incident.id }
    let name = String(decoding: bytes, as: UTF8.self)
    guard let id = IncidentID(rawValue: name) else {
      throw unreadable("malformed incident \(Quoted(name))")
    }
    incident = (Array(bytes), id)
    return id
  }

  /// A journal has a few distinct type names and actors: make each one's value once, from its name.
  private static func interned<Value>(
    _ bytes: UnsafeBufferPointer<UInt8>, in seen: inout [(bytes: [UInt8], value: Value)],
    _ make: (String) -> Value
  ) -> Value {
    if let found = seen.first(where: { $0.bytes.elementsEqual(bytes) }) { return found.value }
    let value = make(String(decoding: bytes, as: UTF8.self))
    if seen.count < 64 { seen.append((Array(bytes), value)) }
    return value
  }
}
