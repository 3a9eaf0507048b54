/// An operator's `run` took the incident: only the lease holder drives it until the lease expires.
///
/// Fields after `expiredHolder` came later and are optional, so leases recorded before them still
/// read back (they name an operator and host, but no run).
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
  /// The run that holds the lease: its random id and process id on `host`.
  public let runID: String?
  public let pid: Int?
  /// The run this lease replaced (taken over, expired or ended), and its process id.
  public let previousRunID: String?
  public let previousPid: Int?
  /// True when the previous run was found gone on this host, so its lease ended before expiring.
  public let previousRunEnded: Bool?

  public init(
    holder: String, host: String, expiresAt: UTCTime, takenOverFrom: String? = nil,
    expiredHolder: String? = nil,
    runID: String? = nil, pid: Int? = nil, previous: Lease? = nil, previousRunEnded: Bool? = nil
  ) {
    self.holder = holder
    self.host = host
    self.expiresAt = expiresAt
    self.takenOverFrom = takenOverFrom
    self.expiredHolder = expiredHolder
    self.runID = runID
    self.pid = pid
    previousRunID = previous?.runID
    previousPid = previous?.pid
    self.previousRunEnded = previousRunEnded
  }

  /// The lease a run with `identity` takes until `expiresAt`, given what it found.
  public init(_ identity: RunIdentity, expiresAt: UTCTime, found: Lease.Check) {
    var (takenOverFrom, expiredHolder, previous, ended): (String?, String?, Lease?, Bool?) = (
      nil, nil, nil, nil
    )
    switch found {
    case .free, .mine: break
    case .heldBy(let lease): (takenOverFrom, previous) = (lease.holder, lease)
    case .expired(let lease): (expiredHolder, previous) = (lease.holder, lease)
    case .ended(let lease): (expiredHolder, previous, ended) = (lease.holder, lease, true)
    }
    self.init(
      holder: identity.operatorName, host: identity.host, expiresAt: expiresAt,
      takenOverFrom: takenOverFrom,
      expiredHolder: expiredHolder, runID: identity.runID, pid: identity.pid, previous: previous,
      previousRunEnded: ended)
  }
}

/// The holder's run is still working: its lease now lasts until `expiresAt`.
public struct LeaseRenewed: EventPayload {
  public static let typeName = "LeaseRenewed"
  public static let schemaVersion = 1

  public let holder: String
  public let expiresAt: UTCTime
  /// The renewing run; `nil` in renewals recorded before runs had ids (they match by `holder`).
  public let runID: String?

  public init(holder: String, expiresAt: UTCTime, runID: String? = nil) {
    self.holder = holder
    self.expiresAt = expiresAt
    self.runID = runID
  }
}

/// The holder's run ended and let the incident go.
public struct LeaseReleased: EventPayload {
  public static let typeName = "LeaseReleased"
  public static let schemaVersion = 1

  public let holder: String
  /// The releasing run; `nil` in releases recorded before runs had ids (they match by `holder`).
  public let runID: String?

  public init(holder: String, runID: String? = nil) {
    self.holder = holder
    self.runID = runID
  }
}

/// One on-call shift handed the incident to the next.
///
/// With `export`, the handoff also seals the incident in this journal: it went to `to` in that
/// file, and only the journal that imports the file drives it from then on. The file carries the
/// events through this one, so its last hash is this event's own; `sealedAfter` names the hash of
/// the event it follows (an event cannot hold its own hash).
public struct HandedOff: EventPayload {
  public static let typeName = "HandedOff"
  public static let schemaVersion = 1

  public let from: String
  public let to: String
  public let note: String?
  /// The export file the incident went in (as the operator named it); `nil` for a handoff in place.
  public let export: String?
  /// The hash (hex) of the last event before this seal; `nil` without `export`.
  public let sealedAfter: String?

  public init(
    from: String, to: String, note: String?, export: String? = nil, sealedAfter: String? = nil
  ) {
    self.from = from
    self.to = to
    self.note = note
    self.export = export
    self.sealedAfter = sealedAfter
  }
}
