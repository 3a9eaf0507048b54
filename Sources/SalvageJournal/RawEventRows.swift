import Foundation
import GRDB
import GRDBSQLite
internal import SalvageCore

/// Reads event rows straight from SQLite's column buffers into ``RecordedEvent``s: no `Row`, no
/// `Data` or `String` per column, the payload decoded in place. Replaying a long journal is this
/// loop; `StoredEvent` (every column as stored, for `log`, `export` and the hash chain) stays the
/// general path.
///
/// One of the two raw `sqlite3_*` paths left (``RawStatement``, for inserts and the last-event
/// lookup, is the other), because the benchmark shows it pays: the same loop over a GRDB cursor
/// (`Row.fetchCursor`, each text column through `withUnsafeData(atIndex:)`, which makes a `Data`
/// per column) folded 1,000,000 events in 3.25 s against 1.91 s for this one
/// (0.19x against 0.33x of a raw C scan; `BENCH_ONLY=durable,batched,ingest,rebuild,status
/// python3 tools/benchmarks/run.py …`, the `rebuild` figure, 2026-12-01, 2 cores under load).
struct RawEventRows {
  /// The columns selected, in order.
  static let columns =
    "position, event_id, incident, version, type, schema_version, payload, recorded_at, actor"

  private let statement: Statement
  private var incident: (bytes: [UInt8], id: IncidentID)?
  private var types:
    [(bytes: [UInt8], value: (name: String, reader: IncidentEvent.PayloadReader?))] = []
  private var actors: [(bytes: [UInt8], value: String)] = []

  /// `sql` must select ``columns``.
  init(_ db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws {
    statement = try db.makeStatement(sql: sql)
    try statement.setArguments(arguments)
  }

  /// The next event, `nil` after the last one.
  mutating func next() throws -> RecordedEvent? {
    let handle = statement.sqliteStatement
    switch sqlite3_step(handle) {
    case SQLITE_ROW: break
    case SQLITE_DONE: return nil
    case let code:
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code),
        message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
    }
    let position = sqlite3_column_int64(handle, 0)
    func text(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
      guard let start = sqlite3_column_text(handle, column) else {
        return UnsafeBufferPointer(start: nil, count: 0)
      }
      return UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column)))
    }
    func unreadable(_ reason: String) -> JournalError {
      .unreadableEvent(position: position, reason: reason)
    }
    let idBytes = text(1)
    guard let id = EventID(utf8: idBytes) else {
      throw unreadable("malformed event id \(Quoted(String(decoding: idBytes, as: UTF8.self)))")
    }
    let incidentBytes = text(2)
    let incident = try self.incident(incidentBytes, unreadable)
    let timeBytes = text(7)
    guard let time = UTCTime(utf8: timeBytes) else {
      throw unreadable("malformed time \(Quoted(String(decoding: timeBytes, as: UTF8.self)))")
    }
    let type = Self.interned(text(4), in: &types) {
      ($0, IncidentEvent.reader(forType: $0, codec: FastJSONCodec()))
    }
    guard let reader = type.reader else {
      throw unreadable(EventDecodingError.unknownType(type.name).description)
    }
    let actor = Self.interned(text(8), in: &actors) { $0 }
    let payload = text(6)
    let event: IncidentEvent
    do {
      event = try reader.decode(
        schemaVersion: Int(sqlite3_column_int64(handle, 5)),
        payload: UnsafeRawBufferPointer(payload))
    } catch {
      throw unreadable(error.description)
    }
    return RecordedEvent(
      position: position, id: id, incident: incident, version: Int(sqlite3_column_int64(handle, 3)),
      recordedAt: time, actor: actor, event: event)
  }

  /// The incident of consecutive rows is usually the same one: compare bytes, validate once.
  private mutating func incident(
    _ bytes: UnsafeBufferPointer<UInt8>, _ unreadable: (String) -> JournalError
  ) throws(JournalError) -> IncidentID {
    if let incident, Self.same(incident.bytes, bytes) { return incident.id }
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
    if let found = seen.first(where: { same($0.bytes, bytes) }) { return found.value }
    let value = make(String(decoding: bytes, as: UTF8.self))
    if seen.count < 64 { seen.append((Array(bytes), value)) }
    return value
  }

  /// Whether `stored` holds exactly `bytes`: the lengths first, then one `memcmp` (a replay asks
  /// this three times per event, and `elementsEqual` compared byte by byte: 5% of a rebuild's
  /// instructions under callgrind).
  private static func same(_ stored: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard stored.count == bytes.count else { return false }
    return stored.withUnsafeBufferPointer { stored in
      guard let left = stored.baseAddress, let right = bytes.baseAddress else { return true }
      return memcmp(left, right, bytes.count) == 0
    }
  }
}
