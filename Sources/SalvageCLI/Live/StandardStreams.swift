import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Standard output and standard error, written with `write(2)`: `FileHandle.write` traps on any
/// error, with a backtrace.
///
/// SIGPIPE is ignored (``ignoreBrokenPipeSignal()``; SwiftNIO ignores it too, once a socket
/// exists), so a write to a pipe whose reader has gone fails with `EPIPE`:
///
/// - `EPIPE` (`salvage run --yes | head -1`): nobody reads any more, so salvage stops at once,
///   quietly, with exit 141, the status a shell reports for a process SIGPIPE killed. What was
///   journaled before stays; an action a run stops in is settled by the next run, as after any
///   interruption.
/// - Anything else, a full disk first (`ENOSPC`, `EDQUOT`): one line on standard error, exit 74.
enum StandardStreams {
  /// Whether a failure is reported as JSON (`--output json`), as every other error is then.
  private static let speaksJSON = Mutex(false)

  static func ignoreBrokenPipeSignal() {
    signal(SIGPIPE, SIG_IGN)
  }

  static func reportInJSON(_ json: Bool) {
    speaksJSON.withLock { $0 = json }
  }

  static func output(_ text: String) { write(Data(text.utf8), to: STDOUT_FILENO) }

  static func output(_ data: Data) { write(data, to: STDOUT_FILENO) }

  static func error(_ text: String) { write(Data(text.utf8), to: STDERR_FILENO) }

  private static func write(_ data: Data, to descriptor: Int32) {
    let failure = data.withUnsafeBytes { raw -> Int32? in
      var offset = 0
      while offset < raw.count {
        let count = Glibc.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return count < 0 ? errno : EIO }
        offset += count
      }
      return nil
    }
    if let failure { fail(failure, writing: descriptor) }
  }

  /// Ends the process after a failed write: quietly for a closed pipe, else with one line.
  private static func fail(_ code: Int32, writing descriptor: Int32) -> Never {
    if code == EPIPE { _exit(ExitStatus.outputClosed.rawValue) }
    let status = ExitStatus.diskFull.rawValue
    if descriptor == STDOUT_FILENO {
      let reason = String(cString: strerror(code))
      let message =
        "cannot write standard output: "
        + (code == ENOSPC || code == EDQUOT ? "its disk is full (\(reason))" : reason)
      let line =
        speaksJSON.withLock { $0 }
        ? #"{"error":"\#(message)","exit":\#(status)}"#
        : "salvage: \(message)"
      let bytes = Array((line + "\n").utf8)
      _ = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
    _exit(status)
  }
}
