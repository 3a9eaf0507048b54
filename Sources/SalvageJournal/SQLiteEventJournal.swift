public import Foundation
import GRDB
public import SalvageCore

/// The incident journal in one SQLite file (design §5).
///
/// WAL, `synchronous=FULL`, a busy timeout, and every write in `BEGIN IMMEDIATE`, so several
/// `salvage` processes can append to one file: each append checks the incident's version inside
/// its own write transaction, and commits the events together with the incident's head (version,
/// hash, phase) and, every ``checkpointInterval`` events, a snapshot of its state.
public final class SQLiteEventJournal: EventJournal {
  /// The file's path as given.
  public let path: String
  /// How many events may follow the state snapshot before an append writes a new one; readers
  /// replay at most this many.
  public let checkpointInterval: Int
  let database: DatabaseQueue
  let now: @Sendable () -> UTCTime
  let cache = StateCache()

  /// Opens an existing journal, or creates one (mode 0600) when `create` is true.
  ///
  /// - Throws: ``JournalError`` for a missing, unreadable, non-SQLite or foreign file, and for a
  ///   journal whose schema is newer than this binary knows (which is then left untouched).
  public init(
    path: String, create: Bool, busyTimeout: TimeInterval = 30, checkpointInterval: Int = 128,
    now: @escaping @Sendable () -> UTCTime
  ) throws(JournalError) {
    if create { _ = try JournalFile.createIfMissing(path) }
    try JournalFile.checkExisting(path)
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    config.label = "salvage-journal"
    // WAL by hand: GRDB's `journalMode = .wal` also sets `synchronous = NORMAL`, which skips the
    // fsync at each commit (found by the durable-append benchmark: 14 fsyncs for 500 commits).
    config.prepareDatabase { db in
      guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
        throw DatabaseError(message: "could not switch the journal to WAL mode")
      }
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    self.path = path
    self.checkpointInterval = max(1, checkpointInterval)
    self.now = now
    do {
      database = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw Self.mapOpen(error, path: path)
    }
    try migrate(create: create)
  }

  /// A scratch copy of `source` in memory, for a dry run: it reads and appends like the journal it
  /// was copied from, and nothing it records ever reaches that file.
  ///
  /// The copy is SQLite's online backup of the source as it is now (one consistent snapshot, taken
  /// by a read: the source file is not written).
  public init(scratchCopyOf source: SQLiteEventJournal) throws(JournalError) {
    var config = Configuration()
    config.label = "salvage-journal-scratch"
    do {
      let memory = try DatabaseQueue(configuration: config)
      try source.database.backup(to: memory)
      database = memory
    } catch {
      throw Self.map(error)
    }
    path = source.path + " (in-memory scratch copy)"
    checkpointInterval = source.checkpointInterval
    now = source.now
  }

  /// Applies pending migrations, refusing foreign databases and newer schemas first.
  private func migrate(create: Bool) throws(JournalError) {
    do {
      try database.inTransaction(.immediate) { db in
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if applicationID != Schema.applicationID {
          let tables =
            try Int.fetchOne(
              db, sql: "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") ?? 0
          guard applicationID == 0, tables == 0, found == 0, create else {
            throw JournalError.notAJournal(path: path)
          }
          try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
        }
        guard found <= Schema.currentVersion else {
          throw JournalError.schemaTooNew(path: path, found: found, known: Schema.currentVersion)
        }
        for migration in Schema.migrations where migration.version > found {
          try db.execute(sql: migration.sql)
          try db.execute(sql: "PRAGMA user_version = \(migration.version)")
        }
        return .commit
      }
    } catch let error as JournalError {
      throw error
    } catch {
      throw Self.mapOpen(error, path: path)
    }
  }

  /// The schema version stored in the file.
  public func schemaVersion() throws(JournalError) -> Int {
    try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
  }

  /// Runs a read, mapping SQLite errors to ``JournalError``.
  func read<T>(_ body: (Database) throws -> T) throws(JournalError) -> T {
    do {
      return try database.read(body)
    } catch let error as JournalError {
      throw error
    } catch {
      throw Self.map(error)
    }
  }

  static func map(_ error: any Error) -> JournalError {
    if let error = error as? DatabaseError {
      return .sqlite(code: error.resultCode.rawValue, message: error.message ?? "\(error)")
    }
    return .sqlite(code: -1, message: String(describing: error))
  }

  private static func mapOpen(_ error: any Error, path: String) -> JournalError {
    if let error = error as? DatabaseError {
      switch error.resultCode {
      case .SQLITE_NOTADB: return .notSQLite(path: path)
      case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
        return .unreadable(path: path, reason: error.message ?? "\(error)")
      default: break
      }
    }
    return map(error)
  }
}

extension SQLiteEventJournal {
  /// The connection's `journal_mode` and `synchronous` pragmas, as SQLite reports them.
  public func durability() throws(JournalError) -> (journalMode: String, synchronous: Int) {
    try read { db in
      (
        try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
        try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
      )
    }
  }
}
