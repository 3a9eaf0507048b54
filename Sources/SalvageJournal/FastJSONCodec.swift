public import Foundation
public import SalvageCore
public import SalvageJSON

/// Core's JSON through SalvageJSON: the canonical encoder and the fast payload reader. It writes
/// the bytes ``FoundationJSONCodec`` writes (the hash chain covers them) in a fraction of the time,
/// and what the reader refuses Core reads again with Foundation.
public struct FastJSONCodec: JSONCodec {
  public init() {}

  /// The types Core stores as one JSON string and the reader builds straight from its bytes: a
  /// stored time, in every event. Another string-coded type (`DrainageStatus`) reads at least as
  /// fast through its `Decodable` path, now that an ASCII string is not validated again: listing it
  /// cost a replay more (1,547 M instructions against 1,533 M for 100,000 events, callgrind).
  /// Made once: an array literal in the call would be allocated for every payload.
  private static let stringValues: [any DecodableFromJSONString.Type] = [
    UTCTime.self
  ]

  public func encode(_ value: some Encodable) throws -> Data {
    try CanonicalJSONEncoder.data(value)
  }

  public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
    try PayloadDecoder.decode(type, from: bytes, stringValues: Self.stringValues)
  }
}

/// A stored time is read straight from its bytes in the form ``UTCTime/description`` writes.
extension UTCTime: DecodableFromJSONString {
  public init(jsonStringBytes bytes: UnsafeBufferPointer<UInt8>) throws {
    guard let time = UTCTime(utf8: bytes) else { throw PayloadDecoder.Refusal.typeMismatch }
    self = time
  }
}
