/// The unique, time-ordered id of one event: a UUID version 7 in its lowercase text form.
///
/// The caller makes the id before the first attempt to append, so a retry after a lost answer
/// carries the same id and the journal can tell a retry from a new event.
public struct EventID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
  public let rawValue: String

  /// Accepts any lowercase 8-4-4-4-12 hexadecimal UUID text.
  public init?(rawValue: String) {
    var text = rawValue
    guard text.withUTF8(Self.isValid) else { return nil }
    self.rawValue = text
  }

  private init(validated text: String) { rawValue = text }

  /// Accepts the same text as ``init(rawValue:)`` from its UTF-8 bytes.
  public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
    guard Self.isValid(bytes) else { return nil }
    rawValue = String(decoding: bytes, as: UTF8.self)
  }

  private static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard bytes.count == 36 else { return false }
    for index in 0..<36 {
      let byte = bytes[index]
      if index == 8 || index == 13 || index == 18 || index == 23 {
        guard byte == 0x2D else { return false }
      } else {
        guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) else { return false }
      }
    }
    return true
  }

  /// Makes a version 7 id: 48 bits of Unix milliseconds, then 74 random bits.
  public static func make(at time: UTCTime, using generator: inout some RandomNumberGenerator)
    -> EventID
  {
    let millis = UInt64(truncatingIfNeeded: time.millisecondsSinceEpoch)
    let high = generator.next() as UInt64
    let low = generator.next() as UInt64
    func byte(_ index: Int) -> UInt8 {
      switch index {
      case 0..<6: UInt8(truncatingIfNeeded: millis >> (8 * (5 - index)))
      case 6: 0x70 | (UInt8(truncatingIfNeeded: high >> 48) & 0x0F)  // version 7
      case 8: 0x80 | (UInt8(truncatingIfNeeded: high) & 0x3F)  // RFC 4122 variant
      case 7, 9..<14: UInt8(truncatingIfNeeded: high >> (8 * (index % 8)))
      default: UInt8(truncatingIfNeeded: low >> (8 * (index % 8)))
      }
    }
    let digits: StaticString = "0123456789abcdef"
    let text = String(unsafeUninitializedCapacity: 36) { buffer in
      var out = 0
      for index in 0..<16 {
        if index == 4 || index == 6 || index == 8 || index == 10 {
          buffer[out] = 0x2D
          out += 1
        }
        let value = byte(index)
        buffer[out] = digits.utf8Start[Int(value >> 4)]
        buffer[out + 1] = digits.utf8Start[Int(value & 0x0F)]
        out += 2
      }
      return out
    }
    return EventID(validated: text)
  }

  public var description: String { rawValue }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let id = EventID(rawValue: text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "malformed event id \(text)"))
    }
    self = id
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
