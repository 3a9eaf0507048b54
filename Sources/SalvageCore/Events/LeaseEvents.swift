/// An operator's `run` took the incident: only the lease holder drives it until the lease expires.
public struct LeaseAcquired: EventPayload {
  public static let typeName = "LeaseAcquired"
  public static let schemaVersion = 1

  public let holder: String
  public let host: String
  public let expiresAt: UTCTime
  /// The live holder this lease was taken over from (`--take-over`), if any.
  public let takenOverFrom: String?
  /// The holder whose lease had expired (a crashed run), if any.
  public let expiredHolder: String?

  public init(holder: String, host: String, expiresAt: UTCTime, takenOverFrom: String? = nil, expiredHolder: String? = nil) {
    self.holder = holder
    self.host = host
    self.expiresAt = expiresAt
    self.takenOverFrom = takenOverFrom
    self.expiredHolder = expiredHolder
  }
}

/// The holder's run is still working: its lease now lasts until `expiresAt`.
public struct LeaseRenewed: EventPayload {
  public static let typeName = "LeaseRenewed"
  public static let schemaVersion = 1

  public let holder: String
  public let expiresAt: UTCTime

  public init(holder: String, expiresAt: UTCTime) {
    self.holder = holder
    self.expiresAt = expiresAt
  }
}

/// The holder's run ended and let the incident go.
public struct LeaseReleased: EventPayload {
  public static let typeName = "LeaseReleased"
  public static let schemaVersion = 1

  public let holder: String

  public init(holder: String) { self.holder = holder }
}

/// One on-call shift handed the incident to the next.
public struct HandedOff: EventPayload {
  public static let typeName = "HandedOff"
  public static let schemaVersion = 1

  public let from: String
  public let to: String
  public let note: String?

  public init(from: String, to: String, note: String?) {
    self.from = from
    self.to = to
    self.note = note
  }
}
