import Foundation
import SalvageCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The checks on the journal's file that come before SQLite ever opens it.
///
/// The journal holds who did what to production, so it is private to its owner: created 0600, and
/// an existing one (or its `-wal` or `-shm`) that others can read or write, that someone else owns,
/// or that is a symbolic link is refused, with the command that fixes it. SQLite creates `-wal` and
/// `-shm` with the main file's permission bits (it `fchmod`s them, whatever the umask), so they are
/// 0600 too. The checks run on the path before SQLite opens it; someone who can write the
/// directory could still swap the file in between.
enum JournalFile {
  /// Creates an empty journal file with mode 0600 unless something exists at the path (a link
  /// included: `O_EXCL` never follows one); returns whether it created.
  static func createIfMissing(_ path: String) throws(JournalError) -> Bool {
    let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
    if descriptor >= 0 {
      // The umask may have taken bits away (0400); the owner must read and write it.
      fchmod(descriptor, 0o600)
      close(descriptor)
      return true
    }
    if errno == EEXIST { return false }
    throw .unreadable(path: path, reason: String(cString: strerror(errno)))
  }

  /// Removes a journal this process created, with its `-wal` and `-shm`.
  static func remove(_ path: String) {
    for file in [path, path + "-wal", path + "-shm"] { unlink(file) }
  }

  /// Refuses a missing file, an unsafe one, one that cannot be read and written, and one that is
  /// not SQLite.
  static func checkExisting(_ path: String) throws(JournalError) {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { throw .missing(path: path) }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    if (info.st_mode & S_IFMT) == S_IFLNK {
      let target = realpath(path, nil).map { pointer in
        defer { free(pointer) }
        return String(cString: pointer)
      }
      throw .unsafe(
        path: path, reason: "is a symbolic link, which salvage does not follow",
        fix: target.map { "--journal \(ShellQuoting.quote($0))" }
          ?? "--journal \"$(readlink -f \(ShellQuoting.quote(path)))\"")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw .unreadable(path: path, reason: "not a regular file")
    }
    guard access(path, R_OK | W_OK) == 0 else {
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    if info.st_size > 0 {  // else a new, empty database
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw .unreadable(path: path, reason: "cannot be read")
      }
      defer { try? handle.close() }
      let header = (try? handle.read(upToCount: 16)) ?? Data()
      guard header == Data("SQLite format 3\u{0}".utf8) else { throw .notSQLite(path: path) }
    }
    try checkPrivate(path, info)
    for sidecar in [path + "-wal", path + "-shm"] {
      var sidecarInfo = stat()
      guard lstat(sidecar, &sidecarInfo) == 0 else { continue }
      if (sidecarInfo.st_mode & S_IFMT) != S_IFREG {
        let quoted = ShellQuoting.quote(sidecar)
        throw .unsafe(
          path: sidecar,
          reason: "is not a regular file (a symbolic link?), which salvage does not follow",
          fix: "cp --remove-destination \"$(readlink -f \(quoted))\" \(quoted)")
      }
      try checkPrivate(sidecar, sidecarInfo)
    }
  }

  /// Refuses a file someone else owns, or that its group or others may read or write.
  private static func checkPrivate(_ path: String, _ info: stat) throws(JournalError) {
    let quoted = ShellQuoting.quote(path)
    let user = geteuid()
    guard info.st_uid == user else {
      throw .unsafe(
        path: path, reason: "is owned by user id \(info.st_uid), not by this user (\(user))",
        fix: "sudo chown \(user) \(quoted)")
    }
    let mode = info.st_mode & 0o777
    guard mode & 0o077 == 0 else {
      throw .unsafe(
        path: path,
        reason:
          "has mode \(String(mode, radix: 8)), so others than its owner may read or change it",
        fix: "chmod 600 \(quoted)")
    }
  }
}
