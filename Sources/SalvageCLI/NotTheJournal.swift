import Foundation
import SalvageCore

#if canImport(Glibc)
  import Glibc
#endif
// With --static-swift-stdlib (tools/install), `stat()` below is found through CoreFoundation's
// headers, and MemberImportVisibility then wants the module imported by name.
#if canImport(CoreFoundation)
  import CoreFoundation
#endif

/// Refuses an output file (`--out`, `handoff --export`) that is the journal, its `-wal` or
/// `-shm`, or the signing key kept beside it (`.key`, `.key.pub`): ``PrivateFile`` renames over
/// its path, which would replace the journal or the key every export is signed with.
///
/// The same file is found two ways: the same device and inode as the journal (a hard link), and
/// the same resolved path, its directory's links followed, as the journal or a side file (which
/// SQLite may not have created yet). A symbolic link at the path itself is not the journal: the
/// rename replaces the link, not what it points to.
enum NotTheJournal {
  static func check(_ out: String, journal: String) throws(InputError) {
    let outPath = resolved(out)
    let outFile = identity(out, following: false)
    let journalPath = resolved(journal)
    for (suffix, what) in [
      ("", "the journal"), ("-wal", "the journal's -wal file"), ("-shm", "the journal's -shm file"),
      (".key", "the journal's signing key"), (".key.pub", "the journal's public signing key"),
    ] {
      let sameName = outPath != nil && outPath == journalPath.map { $0 + suffix }
      let sameFile = outFile != nil && outFile == identity(journal + suffix, following: true)
      if sameName || sameFile {
        throw InputError("\(out) is \(what) (\(journal)); write to another file")
      }
    }
  }

  /// The path with its directory resolved (links, `.` and `..`), or `nil` when that directory
  /// does not resolve.
  private static func resolved(_ path: String) -> String? {
    let parent = (path as NSString).deletingLastPathComponent
    guard let directory = realpath(parent.isEmpty ? "." : parent, nil) else { return nil }
    defer { free(directory) }
    return String(cString: directory) + "/" + (path as NSString).lastPathComponent
  }

  private struct Identity: Equatable {
    let device: UInt64
    let inode: UInt64
  }

  private static func identity(_ path: String, following: Bool) -> Identity? {
    var info = stat()
    guard (following ? stat(path, &info) : lstat(path, &info)) == 0 else { return nil }
    return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
  }
}
