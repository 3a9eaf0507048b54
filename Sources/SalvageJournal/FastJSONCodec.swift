public import Foundation
public import SalvageCore
public import SalvageJSON

/// Core's JSON through SalvageJSON: the canonical encoder and the fast payload reader. It writes
/// the bytes ``FoundationJSONCodec`` writes (the hash chain covers them) in a fraction of the time,
/// and what the reader refuses Core reads again with Foundation.
public struct FastJSONCodec: JSONCodec {
  public init() {}

  /// The types Core stores as one JSON string, read straight from the string's bytes. A type left
  /// out is still read, through its `Decodable` conformance, only slower: a drainage status read
  /// that way took 2,700 instructions, and 1,500 this way (callgrind, a replay of 100,000 events).
  /// Made once: an array literal in the call would be allocated for every payload.
  private static let stringValues: [any DecodableFromJSONString.Type] = [
    UTCTime.self, DrainageStatus.self,
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

/// A stored drainage status is its ``DrainageStatus/name``: the three salvage writes are matched
/// byte for byte, any other text is kept as it is, and bytes that are not UTF-8 are left to
/// `Decodable`, which refuses them as Foundation does.
extension DrainageStatus: DecodableFromJSONString {
  public init(jsonStringBytes bytes: UnsafeBufferPointer<UInt8>) throws {
    if bytes.elementsEqual("drained".utf8) {
      self = .drained
    } else if bytes.elementsEqual("draining".utf8) {
      self = .draining
    } else if bytes.elementsEqual("unspecified".utf8) {
      self = .unspecified
    } else if let name = String(validating: bytes, as: UTF8.self) {
      self.init(name: name)
    } else {
      throw PayloadDecoder.Refusal.invalidUTF8
    }
  }
}
