import Crypto
public import Foundation

/// The journal's hash chain: `hash = SHA-256(previous hash ‖ canonical event bytes)`.
///
/// The chain runs per incident, starting from 32 zero bytes, so one incident can be exported,
/// moved and verified on its own. Canonical bytes are the stored column values, each as a 4-byte
/// big-endian length followed by its UTF-8 bytes, in this order: event id, incident, version,
/// type, schema version, recorded time, actor, payload. The global position is left out (it
/// changes on import); `verify` checks it separately for gaps.
public enum EventHash {
  /// The previous hash of an incident's first event.
  public static let genesis = Data(repeating: 0, count: 32)

  /// The hash of one stored event given the hash before it.
  ///
  /// The bytes are gathered into one buffer and hashed in one call: one update per field cost
  /// more than the hashing itself.
  public static func chain(previous: Data, _ row: StoredEvent) -> Data {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(previous.count + 64 + row.payload.count + 160)
    bytes.append(contentsOf: previous)
    func field(_ text: String) {
      var text = text
      text.withUTF8 { append(UnsafeRawBufferPointer($0), to: &bytes) }
    }
    field(row.eventID)
    field(row.incident)
    field(String(row.version))
    field(row.type)
    field(String(row.schemaVersion))
    field(row.recordedAt)
    field(row.actor)
    row.payload.withUnsafeBytes { append($0, to: &bytes) }
    return Data(SHA256.hash(data: bytes))
  }

  /// One field: its length as 4 big-endian bytes, then its bytes.
  private static func append(_ field: UnsafeRawBufferPointer, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: UInt32(field.count).bigEndian) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: field)
  }
}
