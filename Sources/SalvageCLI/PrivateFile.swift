import Foundation
import SalvageCore

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a whole file that only its owner can read (exports, timelines), atomically.
///
/// The bytes go to a new temporary file in the same directory, created 0600 with `O_EXCL` (so
/// never through a link and never with the umask's bits), are fsynced, and the temporary file is
/// renamed over the path. A reader sees the old file or the new one, never half; an existing file
/// keeps nothing of its own (not its mode, not its owner), and a link at the path is replaced,
/// not followed. A device or a pipe at the path, and anything under `/dev/` or `/proc/`
/// (`/dev/null`, `/dev/stdout`), is written to, never replaced (``isStream(_:)``). The path must
/// not be the journal's (``NotTheJournal``).
enum PrivateFile {
  static func write(_ data: Data, to path: String, journal: String) throws(InputError) {
    let (directory, temporary) = try place(path, journal: journal)
    if isStream(path) { return try stream(data, to: path) }
    let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard descriptor >= 0 else { throw failure(path) }
    var written = false
    defer {
      if !written { unlink(temporary) }
    }
    let wrote = writeAll(data, to: descriptor)
    guard wrote, fchmod(descriptor, 0o600) == 0, fsync(descriptor) == 0 else {
      let error = failure(path)
      close(descriptor)
      throw error
    }
    guard close(descriptor) == 0, rename(temporary, path) == 0 else { throw failure(path) }
    written = true
    // The rename itself is durable once the directory is.
    let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if directoryDescriptor >= 0 {
      fsync(directoryDescriptor)
      close(directoryDescriptor)
    }
  }

  /// Whether `path` is written to in place, never replaced: anything under `/dev/` or `/proc/`
  /// (`/dev/null`; `/dev/stdout`, a link to wherever standard output goes, a file too), and a
  /// character device, named pipe or socket anywhere. Replacing `/dev/null` or `/dev/stdout` with
  /// a regular file, as root, breaks every program on the machine that uses it. A link elsewhere
  /// is replaced, not followed, as for any other file.
  static func isStream(_ path: String) -> Bool {
    // The directory it is in, resolved (the name itself is not: it may be a link to anywhere).
    let parent = (path as NSString).deletingLastPathComponent
    if let resolved = realpath(parent.isEmpty ? "." : parent, nil) {
      let directory = String(cString: resolved) + "/"
      free(resolved)
      if directory.hasPrefix("/dev/") || directory.hasPrefix("/proc/") { return true }
    }
    var info = stat()
    guard lstat(path, &info) == 0 else { return false }
    let kind = info.st_mode & S_IFMT
    return kind == S_IFCHR || kind == S_IFIFO || kind == S_IFSOCK
  }

  /// Writes `data` to the stream at `path` as it is. A pipe nobody reads is refused at once
  /// (ENXIO), never waited on.
  private static func stream(_ data: Data, to path: String) throws(InputError) {
    let descriptor = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { throw failure(path) }
    let flags = fcntl(descriptor, F_GETFL)
    let wrote =
      flags >= 0 && fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) == 0
      && writeAll(data, to: descriptor)
    guard wrote else {
      let error = failure(path)
      close(descriptor)
      throw error
    }
    guard close(descriptor) == 0 else { throw failure(path) }
  }

  /// Writes all of `data` to `descriptor`, through interruptions; false on an error.
  private static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
    data.withUnsafeBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        let count = Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return false }
        offset += count
      }
      return true
    }
  }

  /// Throws unless a file can be written at `path` the way ``write(_:to:)`` would, leaving
  /// nothing there: for commands that must know before they record anything.
  static func checkWritable(_ path: String, journal: String) throws(InputError) {
    let (_, temporary) = try place(path, journal: journal)
    if isStream(path) { return }
    let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard descriptor >= 0 else { throw failure(path) }
    close(descriptor)
    unlink(temporary)
  }

  /// The directory of `path`, and a new temporary name beside it; refused when `path` is the
  /// journal's.
  private static func place(_ path: String, journal: String) throws(InputError) -> (
    directory: String, temporary: String
  ) {
    guard !path.isEmpty, !path.hasSuffix("/") else {
      throw InputError("output path \(Quoted(path)) names no file")
    }
    try NotTheJournal.check(path, journal: journal)
    let parent = (path as NSString).deletingLastPathComponent
    let directory = parent.isEmpty ? "." : parent
    let name = (path as NSString).lastPathComponent
    return (
      directory,
      directory + "/." + name + ".salvage-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    )
  }

  private static func failure(_ path: String) -> InputError {
    InputError("cannot write \(path): \(String(cString: strerror(errno)))")
  }
}
