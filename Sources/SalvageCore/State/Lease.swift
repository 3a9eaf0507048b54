/// Who drives an incident now: the lease of the one run (``RunIdentity``) working on it.
///
/// Leases recorded before runs had ids carry no `runID` or `pid`: they match no run, so they hold
/// until they expire.
public struct Lease: Codable, Equatable, Sendable {
  /// The operator whose run holds it.
  public let holder: String
  public let host: String
  public var expiresAt: UTCTime
  /// The holding run's id; `nil` in leases recorded before runs had ids.
  public let runID: String?
  /// The holding run's process id on `host`; `nil` in old leases.
  public let pid: Int?

  public init(
    holder: String, host: String, expiresAt: UTCTime, runID: String? = nil, pid: Int? = nil
  ) {
    self.holder = holder
    self.host = host
    self.expiresAt = expiresAt
    self.runID = runID
    self.pid = pid
  }

  /// What a would-be driver finds.
  public enum Check: Equatable, Sendable {
    /// Nobody holds it (never taken, released, or handed off).
    case free
    /// This very run holds it.
    case mine
    /// Another live run holds it (perhaps the same operator's, in another terminal).
    case heldBy(Lease)
    /// A lease that ran out: its run died somewhere.
    case expired(Lease)
    /// A lease whose run is known gone: same host, and its process no longer exists. It ends now.
    case ended(Lease)
  }

  /// What `run` finds at `now`; `isRunning` says whether a process id on this host is alive.
  public static func check(
    _ lease: Lease?, by run: RunIdentity, now: UTCTime, isRunning: (Int) -> Bool
  ) -> Check {
    guard let lease else { return .free }
    if lease.runID == run.runID { return .mine }
    if lease.hasEnded(onHost: run.host, isRunning: isRunning) { return .ended(lease) }
    if lease.livesOn(run.host, isRunning: isRunning) { return .heldBy(lease) }
    return lease.expiresAt > now ? .heldBy(lease) : .expired(lease)
  }

  /// Whether the holding run's process still lives on `host`. Such a run holds the incident even
  /// past its lease's end: it may be busy (a long chunk, a stalled disk), not dead. Only
  /// `--take-over` takes it, and a handoff waits for it.
  public func livesOn(_ host: String, isRunning: (Int) -> Bool) -> Bool {
    guard self.host == host, let pid else { return false }
    return isRunning(pid)
  }

  /// Whether the holding run is known to be gone: it ran on `host` and its process is not there.
  public func hasEnded(onHost host: String, isRunning: (Int) -> Bool) -> Bool {
    guard self.host == host, let pid else { return false }
    return !isRunning(pid)
  }

  /// Whether a renewal or release by `holder` (and `runID`, when the event has one) is this lease's.
  func isHeld(by holder: String, runID: String?) -> Bool {
    guard let runID else { return self.holder == holder }
    return self.runID == runID
  }

  /// The holder as a person reads it: "alice (pid 42 on host-a)".
  public var holderDescription: String {
    holder + (pid.map { " (pid \($0) on \(host))" } ?? " on \(host)")
  }
}
