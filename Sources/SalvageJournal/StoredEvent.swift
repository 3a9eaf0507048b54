public import Foundation
public import SalvageCore

/// One row of the `events` table exactly as stored: what `log` prints and what the chain hashes.
public struct StoredEvent: Equatable, Sendable {
  public let position: Int64
  public let eventID: String
  public let incident: String
  public let version: Int
  public let type: String
  public let schemaVersion: Int
  /// The canonical JSON payload bytes.
  public let payload: Data
  public let recordedAt: String
  public let actor: String
  /// SHA-256 of the previous hash and this event's canonical bytes.
  public let hash: Data

  /// Creates a row value.
  public init(
    position: Int64, eventID: String, incident: String, version: Int, type: String,
    schemaVersion: Int, payload: Data, recordedAt: String, actor: String, hash: Data
  ) {
    self.position = position
    self.eventID = eventID
    self.incident = incident
    self.version = version
    self.type = type
    self.schemaVersion = schemaVersion
    self.payload = payload
    self.recordedAt = recordedAt
    self.actor = actor
    self.hash = hash
  }

  /// The same row with another hash (and position): for rows whose hash is computed after.
  public func with(hash: Data, position: Int64? = nil) -> StoredEvent {
    StoredEvent(
      position: position ?? self.position, eventID: eventID, incident: incident, version: version,
      type: type,
      schemaVersion: schemaVersion, payload: payload, recordedAt: recordedAt, actor: actor,
      hash: hash)
  }

  /// The hash as lowercase hex.
  public var hashHex: String { Hex.lowercase(hash) }

  /// Decodes the envelope and the payload, or says which position is unreadable.
  public func recorded() throws(JournalError) -> RecordedEvent {
    guard let id = EventID(rawValue: eventID) else {
      throw .unreadableEvent(position: position, reason: "malformed event id \(Quoted(eventID))")
    }
    guard let incidentID = IncidentID(rawValue: incident) else {
      throw .unreadableEvent(position: position, reason: "malformed incident \(Quoted(incident))")
    }
    guard let time = UTCTime(iso8601: recordedAt) else {
      throw .unreadableEvent(position: position, reason: "malformed time \(Quoted(recordedAt))")
    }
    let event: IncidentEvent
    do {
      event = try IncidentEvent.decode(
        type: type, schemaVersion: schemaVersion, payload: payload, codec: FastJSONCodec())
    } catch {
      throw .unreadableEvent(position: position, reason: error.description)
    }
    return RecordedEvent(
      position: position, id: id, incident: incidentID, version: version, recordedAt: time,
      actor: actor, event: event)
  }
}
