import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The checks on the journal's file that come before SQLite ever opens it.
enum JournalFile {
  /// Creates an empty journal file with mode 0600 unless one exists; returns whether it created.
  ///
  /// SQLite gives its `-wal` and `-shm` files the mode of the database file, so they are 0600 too.
  static func createIfMissing(_ path: String) throws(JournalError) -> Bool {
    let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    if descriptor >= 0 {
      close(descriptor)
      return true
    }
    if errno == EEXIST { return false }
    throw .unreadable(path: path, reason: String(cString: strerror(errno)))
  }

  /// Refuses a missing file, one that cannot be read and written, and one that is not SQLite.
  static func checkExisting(_ path: String) throws(JournalError) {
    var info = stat()
    guard stat(path, &info) == 0 else {
      if errno == ENOENT { throw .missing(path: path) }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw .unreadable(path: path, reason: "not a regular file")
    }
    guard access(path, R_OK | W_OK) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    guard info.st_size > 0 else { return }  // a new, empty database
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw .unreadable(path: path, reason: "cannot be read")
    }
    defer { try? handle.close() }
    let header = (try? handle.read(upToCount: 16)) ?? Data()
    guard header == Data("SQLite format 3\u{0}".utf8) else { throw .notSQLite(path: path) }
  }
}
