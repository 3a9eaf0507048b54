import Foundation
public import GRDB
public import SalvageCore

/// The incident journal in one SQLite database (docs/design.md §5), on any GRDB writer.
///
/// Every write is one GRDB transaction (`BEGIN IMMEDIATE`: GRDB 7 begins writes that way), so
/// several `salvage` processes can append to one file: each append checks the incident's version
/// inside its own write transaction, and commits the events together with the incident's head
/// (its phase and whether it is open) when that changes and, every ``checkpointInterval`` events,
/// a snapshot of its state.
public final class SQLiteEventJournal: EventJournal {
  /// The file's path as given, or what the writer says it is (`:memory:`).
  public let path: String
  /// How many events may follow the state snapshot before an append writes a new one; readers
  /// replay at most this many.
  public let checkpointInterval: Int
  let writer: any DatabaseWriter
  /// The file that ``rebuild()`` opens one read connection per lane on; `nil` when the journal was
  /// given a writer, whose own connection then folds every incident.
  let file: String?
  let now: @Sendable () -> UTCTime
  let cache = StateCache()
  /// The set last digested, until its append.
  let digests = DigestMemo()

  /// A journal on `writer` (an in-memory `DatabaseQueue()` in tests), migrated to the current
  /// schema; an empty database becomes a journal.
  ///
  /// - Throws: ``JournalError`` for a foreign database, and for one whose schema is newer than this
  ///   binary knows (which is then left untouched).
  public convenience init(
    _ writer: any DatabaseWriter, checkpointInterval: Int = 128,
    now: @escaping @Sendable () -> UTCTime
  ) throws(JournalError) {
    try self.init(
      writer, path: writer.path, file: nil, create: true, checkpointInterval: checkpointInterval,
      now: now)
  }

  /// Opens an existing journal file, or creates one (mode 0600) when `create` is true: WAL,
  /// `synchronous=FULL` and a busy timeout, so that processes can share it.
  ///
  /// - Throws: ``JournalError`` for a missing, unreadable, non-SQLite or foreign file, and for a
  ///   journal whose schema is newer than this binary knows (which is then left untouched).
  public convenience init(
    path: String, create: Bool, checkpointInterval: Int = 128,
    now: @escaping @Sendable () -> UTCTime
  ) throws(JournalError) {
    if create { _ = try JournalFile.createIfMissing(path) }
    try JournalFile.checkExisting(path)
    var config = Configuration()
    config.busyMode = .timeout(30)
    config.label = "salvage-journal"
    // WAL by hand: GRDB's `journalMode = .wal` also sets `synchronous = NORMAL`, which skips the
    // fsync at each commit (found by the durable-append benchmark: 14 fsyncs for 500 commits).
    config.prepareDatabase { db in
      guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
        throw DatabaseError(message: "could not switch the journal to WAL mode")
      }
      try db.execute(sql: "PRAGMA synchronous = FULL")
    }
    let queue: DatabaseQueue
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
    } catch {
      throw Self.mapOpen(error, path: path)
    }
    try self.init(
      queue, path: path, file: path, create: create, checkpointInterval: checkpointInterval,
      now: now)
  }

  /// A scratch copy of `source` in memory, for a dry run: it reads and appends like the journal it
  /// was copied from, and nothing it records ever reaches that file.
  ///
  /// The copy is SQLite's online backup of the source as it is now (one consistent snapshot, taken
  /// by a read: the source file is not written).
  public convenience init(scratchCopyOf source: SQLiteEventJournal) throws(JournalError) {
    var config = Configuration()
    config.label = "salvage-journal-scratch"
    let memory: DatabaseQueue
    do {
      memory = try DatabaseQueue(configuration: config)
      try source.writer.backup(to: memory)
    } catch {
      throw Self.map(error, path: source.path)
    }
    try self.init(
      memory, path: source.path + " (in-memory scratch copy)", file: nil, create: false,
      checkpointInterval: source.checkpointInterval, now: source.now)
  }

  init(
    _ writer: any DatabaseWriter, path: String, file: String?, create: Bool,
    checkpointInterval: Int, now: @escaping @Sendable () -> UTCTime
  ) throws(JournalError) {
    self.writer = writer
    self.path = path
    self.file = file
    self.checkpointInterval = max(1, checkpointInterval)
    self.now = now
    try migrate(create: create)
  }

  /// Applies pending migrations, refusing foreign databases and newer schemas first.
  ///
  /// A journal already at the current schema is only read: a reader (`watch`, `status`) opening it
  /// never waits for the write lock of the run that appends, nor makes that run wait.
  private func migrate(create: Bool) throws(JournalError) {
    do {
      let current = try writer.read { db in
        try Int32.fetchOne(db, sql: "PRAGMA application_id") == Schema.applicationID
          && Int.fetchOne(db, sql: "PRAGMA user_version") == Schema.currentVersion
      }
      if current { return }
      try writer.write { db in
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
      return try writer.read(body)
    } catch let error as JournalError {
      throw error
    } catch {
      throw Self.map(error, path: file)
    }
  }

  /// Runs `body` in one write transaction (GRDB begins it IMMEDIATE), committing or rolling back
  /// as it says, and rolling back on any error.
  ///
  /// GRDB prepares its `BEGIN` and `COMMIT` anew for every transaction: a durable append (one
  /// event a transaction) costs about 28,000 instructions more than with the cached raw
  /// statements this journal used before (307.8 M against 250.8 M for 2,000 appends, callgrind,
  /// 2026-12-01), the same system calls, and a few percent of its wall time, which `fdatasync`
  /// bounds.
  func writeTransaction(_ body: (Database) throws -> Database.TransactionCompletion) throws {
    try writer.writeWithoutTransaction { db in try db.inTransaction { try body(db) } }
  }

  /// The ``JournalError`` of a failure of SQLite on the journal at `path` (when known): a full disk
  /// (``JournalError/diskFull(path:)``) is named as such.
  static func map(_ error: any Error, path: String? = nil) -> JournalError {
    if let error = error as? DatabaseError {
      if JournalError.isDiskFull(error.resultCode, path: path) { return .diskFull(path: path) }
      return .sqlite(code: error.resultCode.rawValue, message: error.message ?? "\(error)")
    }
    return .sqlite(code: -1, message: String(describing: error))
  }

  private static func mapOpen(_ error: any Error, path: String) -> JournalError {
    if let error = error as? DatabaseError {
      if JournalError.isDiskFull(error.resultCode, path: path) { return .diskFull(path: path) }
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
