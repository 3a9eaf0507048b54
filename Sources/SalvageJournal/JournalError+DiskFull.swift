import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension JournalError {
  /// Whether SQLite failed for want of space: `SQLITE_FULL` (a write came up short), or an I/O
  /// error while the journal's file system has less than a megabyte free (SQLite reports a `-shm`
  /// it cannot extend as `SQLITE_IOERR`, and keeps the `errno` to itself).
  static func isDiskFull(_ code: ResultCode, path: String?) -> Bool {
    if code.primaryResultCode == .SQLITE_FULL { return true }
    guard code.primaryResultCode == .SQLITE_IOERR, let path else { return false }
    let parent = (path as NSString).deletingLastPathComponent
    var info = statvfs()
    guard statvfs(parent.isEmpty ? "." : parent, &info) == 0 else { return false }
    return Double(info.f_bavail) * Double(info.f_frsize) < 1_048_576
  }
}
