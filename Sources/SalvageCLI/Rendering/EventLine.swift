import Foundation
import SalvageCore
import SalvageJournal

/// One stored event as `salvage log` prints it.
enum EventLine {
  /// `#12 orders-… v3 2026-11-25T03:12:45.120Z UTC alice NoteAdded: text`
  static func text(_ stored: StoredEvent) -> String {
    let summary =
      (try? stored.recorded().event.summary) ?? String(decoding: stored.payload, as: UTF8.self)
    return "#\(stored.position) \(stored.incident) v\(stored.version) \(stored.recordedAt) UTC "
      + "\(stored.actor) \(stored.type): \(summary)"
  }

  /// The raw event as one JSON object with sorted keys, its payload embedded as stored (DEL, C1
  /// and bidi controls written as `\u` escapes, which JSON reads back the same).
  static func json(_ stored: StoredEvent) throws -> String {
    let payload = (try? JSONSerialization.jsonObject(with: stored.payload)) ?? NSNull()
    let object: [String: Any] = [
      "position": stored.position, "eventId": stored.eventID, "incident": stored.incident,
      "version": stored.version, "type": stored.type, "schemaVersion": stored.schemaVersion,
      "recordedAt": stored.recordedAt, "actor": stored.actor, "payload": payload,
      "hash": stored.hashHex,
    ]
    let data = try JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return VisibleText.jsonSafe(String(decoding: data, as: UTF8.self))
  }
}
