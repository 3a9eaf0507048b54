/// One event as the journal recorded it: the envelope around an ``IncidentEvent``.
///
/// `position` is the event's place in the whole journal (gapless from 1); `version` is its place in
/// its incident (contiguous from 1). Both are assigned by the journal at commit, never by callers.
public struct RecordedEvent: Equatable, Sendable {
  /// The gapless global position (the SQLite rowid).
  public let position: Int64
  /// The unique, time-ordered event id.
  public let id: EventID
  /// The incident it belongs to.
  public let incident: IncidentID
  /// Its number within the incident, from 1.
  public let version: Int
  /// When the journal committed it (UTC).
  public let recordedAt: UTCTime
  /// The operator or process that appended it.
  public let actor: String
  /// The fact itself.
  public let event: IncidentEvent

  /// Creates an envelope; only journals and tests make these.
  public init(
    position: Int64, id: EventID, incident: IncidentID, version: Int, recordedAt: UTCTime,
    actor: String, event: IncidentEvent
  ) {
    self.position = position
    self.id = id
    self.incident = incident
    self.version = version
    self.recordedAt = recordedAt
    self.actor = actor
    self.event = event
  }
}

/// An event on its way into the journal, with the id its caller chose for idempotent retries.
public struct PendingEvent: Equatable, Sendable {
  /// The id, made once before the first attempt.
  public let id: EventID
  /// The fact to record.
  public let event: IncidentEvent

  /// Pairs an id with an event.
  public init(id: EventID, event: IncidentEvent) {
    self.id = id
    self.event = event
  }
}
