import GRDB
import GRDBSQLite

/// Runs one prepared `INSERT` many times, binding each value straight from its bytes: no
/// `StatementArguments` (an array of boxed values) per row.
struct RawInsert {
  private let statement: Statement

  init(_ statement: Statement) { self.statement = statement }

  /// The columns of one row, bound by 1-based index.
  struct Row {
    let handle: OpaquePointer

    func text(_ index: Int32, _ value: String) {
      var value = value
      value.withUTF8 { bytes in
        // SQLITE_TRANSIENT: SQLite copies the bytes. An empty buffer may have no address; bind "".
        let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
        if let base = bytes.baseAddress {
          sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
        } else {
          sqlite3_bind_text(handle, index, "", 0, transient)
        }
      }
    }

    func integer(_ index: Int32, _ value: Int?) {
      if let value { sqlite3_bind_int64(handle, index, Int64(value)) } else { sqlite3_bind_null(handle, index) }
    }
  }

  /// Binds one row with `bind` and inserts it.
  mutating func insert(_ bind: (Row) -> Void) throws {
    let handle = statement.sqliteStatement
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
    bind(Row(handle: handle))
    let code = sqlite3_step(handle)
    guard code == SQLITE_DONE else {
      let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
      sqlite3_reset(handle)
      throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }
  }
}
