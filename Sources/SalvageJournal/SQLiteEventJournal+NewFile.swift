import Foundation
import GRDB
public import SalvageCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension SQLiteEventJournal {
  /// A new journal at `path`, filled by `fill` before any other process can see it; `nil`, with
  /// nothing left behind, when a file appeared at `path` meanwhile (use that one instead).
  ///
  /// The journal is made under a name beside `path` that no other process uses, created 0600 with
  /// `O_EXCL`, filled, checkpointed and closed, then given its name with `link(2)`, which never
  /// replaces a file. Whatever fails, only that private file (and its `-wal` and `-shm`) is
  /// removed: never a journal another process created or wrote at `path` (`import` once
  /// unlinked whatever stood at the path when it failed).
  public static func createdWhole(
    at path: String, now: @escaping @Sendable () -> UTCTime,
    fill: (SQLiteEventJournal) throws -> Void
  ) throws -> SQLiteEventJournal? {
    let parent = (path as NSString).deletingLastPathComponent
    let directory = parent.isEmpty ? "." : parent
    let name = (path as NSString).lastPathComponent
    let temporary =
      directory + "/." + name + ".salvage-new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    defer { JournalFile.remove(temporary) }  // after the link, only the temporary name goes
    do {
      guard try JournalFile.createIfMissing(temporary) else {
        throw JournalError.unreadable(path: path, reason: "\(temporary) exists")
      }
      let journal = try SQLiteEventJournal(path: temporary, create: true, now: now)
      try fill(journal)
      try journal.checkpointAndClose()
    } catch JournalError.unreadable(_, let reason) {
      throw JournalError.unreadable(path: path, reason: reason)
    }
    // Only the file is linked: a write-ahead log that kept a commit would be left behind.
    var log = stat()
    guard lstat(temporary + "-wal", &log) != 0 || log.st_size == 0 else {
      throw JournalError.sqlite(code: -1, message: "the new journal's -wal kept data after closing")
    }
    guard link(temporary, path) == 0 else {
      if errno == EEXIST { return nil }
      throw JournalError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if descriptor >= 0 {
      fsync(descriptor)
      close(descriptor)
    }
    return try SQLiteEventJournal(path: path, create: false, now: now)
  }

  /// Checkpoints the whole write-ahead log into the file and closes the connection: the file then
  /// holds every commit on its own.
  func checkpointAndClose() throws(JournalError) {
    do {
      try writer.writeWithoutTransaction { db in
        let busy = try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") ?? 1
        guard busy == 0 else {
          throw DatabaseError(message: "the journal's write-ahead log could not be checkpointed")
        }
      }
      try writer.close()
    } catch {
      throw Self.map(error, path: file)
    }
  }
}
