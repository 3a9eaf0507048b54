import Foundation
import GRDB
import GRDBSQLite

/// Runs one prepared statement many times, binding each value straight from its bytes: no
/// `StatementArguments` (an array of boxed values) per call. The inserts of events and of execution
/// records are this, because the benchmark shows it pays: with GRDB's `execute(arguments:)` the
/// batched append took 0.947 s for 100,000 events (0.41x of the C baseline) against 0.744 s (0.45x)
/// with these bindings (`BENCH_ONLY=durable,batched,ingest,rebuild,status python3
/// tools/benchmarks/run.py …`, the `batched` figure, 2026-12-01, run back to back).
struct RawStatement {
  private let statement: Statement

  init(_ statement: Statement) { self.statement = statement }

  /// The columns of one row, bound by 1-based index. SQLite copies every value it is given.
  struct Row {
    let handle: OpaquePointer

    func text(_ index: Int32, _ value: String) {
      var value = value
      value.withUTF8 { bind(index, UnsafeRawBufferPointer($0), asText: true) }
    }

    /// Binds `value`, or NULL when there is none.
    func text(_ index: Int32, _ value: String?) {
      if let value { text(index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func text(_ index: Int32, _ value: Data) {
      value.withUnsafeBytes { bind(index, $0, asText: true) }
    }

    func blob(_ index: Int32, _ value: Data) {
      value.withUnsafeBytes { bind(index, $0, asText: false) }
    }

    func blob(_ index: Int32, _ value: [UInt8]) {
      value.withUnsafeBytes { bind(index, $0, asText: false) }
    }

    func integer(_ index: Int32, _ value: Int?) {
      if let value {
        sqlite3_bind_int64(handle, index, Int64(value))
      } else {
        sqlite3_bind_null(handle, index)
      }
    }

    /// Binds bytes with SQLITE_TRANSIENT. An empty buffer may have no address: it binds `""` or an
    /// empty blob, never NULL.
    private func bind(_ index: Int32, _ bytes: UnsafeRawBufferPointer, asText: Bool) {
      let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
      guard let base = bytes.baseAddress, !bytes.isEmpty else {
        if asText {
          sqlite3_bind_text(handle, index, "", 0, transient)
        } else {
          sqlite3_bind_zeroblob(handle, index, 0)
        }
        return
      }
      if asText {
        sqlite3_bind_text(
          handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
      } else {
        sqlite3_bind_blob(handle, index, base, Int32(bytes.count), transient)
      }
    }
  }

  /// Binds one row with `bind` and runs the statement (an insert), leaving it reset for the next.
  func insert(_ bind: (Row) -> Void) throws {
    _ = try step(bind) { _ in () }
  }

  /// Binds with `bind`, steps once and reads the first row with `read`; `nil` when there is none.
  ///
  /// Every append looks up the incident's last event this way: through GRDB (`Row.fetchOne` on
  /// the same cached statement) the lookup took 22,200 instructions an append, this way 8,600
  /// (callgrind, `salvage-bench append --events 2000 --batch 1`, the durable figure, 2026-12-01).
  func first<T>(_ bind: (Row) -> Void, _ read: (Columns) -> T) throws -> T? {
    try step(bind, read)
  }

  /// The columns of the row a step stands on, by 0-based index.
  struct Columns {
    let handle: OpaquePointer

    func integer(_ index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }

    func blob(_ index: Int32) -> Data {
      guard let bytes = sqlite3_column_blob(handle, index) else { return Data() }
      return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, index)))
    }
  }

  /// Binds, steps once and reads the row, if any, leaving the statement reset for the next call.
  private func step<T>(_ bind: (Row) -> Void, _ read: (Columns) -> T) throws -> T? {
    let handle = statement.sqliteStatement
    defer { sqlite3_reset(handle) }
    sqlite3_clear_bindings(handle)
    bind(Row(handle: handle))
    switch sqlite3_step(handle) {
    case SQLITE_ROW: return read(Columns(handle: handle))
    case SQLITE_DONE: return nil
    case let code:
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code),
        message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
    }
  }
}
