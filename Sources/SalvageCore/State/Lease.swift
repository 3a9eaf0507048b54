/// Who drives an incident now: the lease of the operator whose `run` works on it.
public struct Lease: Codable, Equatable, Sendable {
  public let holder: String
  public let host: String
  public var expiresAt: UTCTime

  public init(holder: String, host: String, expiresAt: UTCTime) {
    self.holder = holder
    self.host = host
    self.expiresAt = expiresAt
  }

  /// What a would-be driver finds.
  public enum Check: Equatable, Sendable {
    /// Nobody holds it (never taken, released, or handed off).
    case free
    /// The same operator on the same host holds it (a run of theirs that died, or this one).
    case mine
    /// Someone else's live lease.
    case heldBy(Lease)
    /// Someone's lease that ran out: their run died.
    case expired(Lease)
  }

  /// What `holder` on `host` finds at `now`.
  public static func check(_ lease: Lease?, holder: String, host: String, now: UTCTime) -> Check {
    guard let lease else { return .free }
    if lease.holder == holder, lease.host == host { return .mine }
    return lease.expiresAt > now ? .heldBy(lease) : .expired(lease)
  }
}
