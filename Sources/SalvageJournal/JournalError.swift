/// Why the journal could not be used. Each message is one line and names the file or position.
public enum JournalError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No journal at the path (and this command does not create one).
  case missing(path: String)
  /// The file exists but cannot be read and written.
  case unreadable(path: String, reason: String)
  /// The file (or its `-wal` or `-shm`) is not private to this user, or is a symbolic link;
  /// `fix` is the command (or the option) that makes it usable.
  case unsafe(path: String, reason: String, fix: String)
  /// The file is not an SQLite database.
  case notSQLite(path: String)
  /// The file is an SQLite database, but not a salvage journal.
  case notAJournal(path: String)
  /// The journal was written by a newer salvage.
  case schemaTooNew(path: String, found: Int, known: Int)
  /// A stored event cannot be read back.
  case unreadableEvent(position: Int64, reason: String)
  /// The execution set stored beside the event with this id cannot be read back.
  case unreadableExecutionSet(eventID: String, reason: String)
  /// The disk holding the journal (at `path`, when known) is full: the write that failed recorded
  /// nothing, and everything before it is kept.
  case diskFull(path: String?)
  /// SQLite refused an operation.
  case sqlite(code: Int32, message: String)

  public var description: String {
    switch self {
    case .missing(let path):
      "no journal at \(path) (start one with 'salvage open', or pass --journal)"
    case .unreadable(let path, let reason):
      "cannot open journal \(path): \(reason)"
    case .unsafe(let path, let reason, let fix):
      "journal file \(path) \(reason); fix it with: \(fix)"
    case .notSQLite(let path):
      "\(path) is not an SQLite database, so not a salvage journal"
    case .notAJournal(let path):
      "\(path) is an SQLite database but not a salvage journal"
    case .schemaTooNew(let path, let found, let known):
      "journal \(path) has schema version \(found), but this salvage knows up to \(known): "
        + "use a newer salvage (the journal was left untouched)"
    case .unreadableEvent(let position, let reason):
      "event at position \(position) cannot be read: \(reason)"
    case .unreadableExecutionSet(let eventID, let reason):
      "the executions stored with event \(eventID) cannot be read: \(reason)"
    case .diskFull(let path):
      "the disk holding the journal\(path.map { " \($0)" } ?? "") is full, so this write was not "
        + "recorded (what was recorded before is kept); free space there, then run the command again"
    case .sqlite(let code, let message):
      "SQLite error \(code): \(message)"
    }
  }
}
