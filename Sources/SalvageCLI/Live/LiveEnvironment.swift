import Foundation
import SalvageCore

#if canImport(Glibc)
  import Glibc
#endif

/// The live sources of time, identity and randomness, wired once for the executable.
enum LiveEnvironment {
  /// The process environment.
  static var variables: [String: String] { ProcessInfo.processInfo.environment }

  /// Now, in UTC, to the millisecond.
  @Sendable static func now() -> UTCTime { UTCTime.wallClock() }

  /// A fresh event id.
  static func eventID() -> EventID {
    var generator = SystemRandomNumberGenerator()
    return EventID.make(at: now(), using: &generator)
  }

  /// The login name: `LOGNAME`, `USER`, then the password database.
  static func loginName(_ environment: [String: String]) -> String {
    for key in ["LOGNAME", "USER"] {
      if let name = environment[key], !name.isEmpty { return name }
    }
    if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    return "uid-\(geteuid())"
  }
}

extension LiveEnvironment {
  /// This process as a lease holder: a random run id, the operator, this host and pid.
  static func run(operatorName: String) -> RunIdentity {
    var generator = SystemRandomNumberGenerator()
    let id = String(generator.next(), radix: 16)
    return RunIdentity(
      runID: id, operatorName: operatorName, host: ProcessInfo.processInfo.hostName,
      pid: Int(getpid()))
  }

  /// Whether a process with this id exists on this host (EPERM: it exists, another user's).
  @Sendable static func isRunning(_ pid: Int) -> Bool {
    guard pid > 0, let pid = Int32(exactly: pid) else { return false }
    return kill(pid, 0) == 0 || errno == EPERM
  }
}
