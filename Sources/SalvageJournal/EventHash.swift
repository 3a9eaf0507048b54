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
  public static func chain(previous: Data, _ row: StoredEvent) -> Data {
    var hasher = SHA256()
    previous.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    for field in [
      row.eventID, row.incident, String(row.version), row.type, String(row.schemaVersion),
      row.recordedAt, row.actor,
    ] {
      var field = field
      field.withUTF8 { append(UnsafeRawBufferPointer($0), to: &hasher) }
    }
    row.payload.withUnsafeBytes { append($0, to: &hasher) }
    return Data(hasher.finalize())
  }

  /// One field: its length as 4 big-endian bytes, then its bytes.
  private static func append(_ bytes: UnsafeRawBufferPointer, to hasher: inout SHA256) {
    withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
    hasher.update(bufferPointer: bytes)
  }
}
