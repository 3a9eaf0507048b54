public import Foundation

/// How Core writes and reads its stored JSON (event payloads, state snapshots).
///
/// Core is plain `Codable`: ``FoundationJSONCodec`` is the default everywhere. A storage adapter
/// may pass a faster codec (the journal passes one built on the SalvageJSON target), which must
/// write the very same bytes, since the hash chain covers them.
public protocol JSONCodec: Sendable {
  /// `value` as canonical JSON: the bytes `JSONEncoder` writes with `.sortedKeys` and
  /// `.withoutEscapingSlashes`.
  func encode(_ value: some Encodable) throws -> Data

  /// Reads `type` from JSON bytes borrowed for the call. A codec may refuse what Foundation
  /// reads; Core then reads the bytes with ``FoundationJSONCodec`` (and reports its error).
  func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T
}

/// Foundation's `JSONEncoder` (sorted keys, slashes unescaped) and `JSONDecoder`.
public struct FoundationJSONCodec: JSONCodec {
  public init() {}

  public func encode(_ value: some Encodable) throws -> Data { try Self.encoder.encode(value) }

  public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
    try Self.decoder.decode(type, from: Data(bytes))
  }

  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  private static let decoder = JSONDecoder()
}
