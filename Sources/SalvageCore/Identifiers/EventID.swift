/// The unique, time-ordered id of one event: a UUID version 7 in its lowercase text form.
///
/// The caller makes the id before the first attempt to append, so a retry after a lost answer
/// carries the same id and the journal can tell a retry from a new event.
public struct EventID: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
  public let rawValue: String

  /// Accepts any lowercase 8-4-4-4-12 hexadecimal UUID text.
  public init?(rawValue: String) {
    let bytes = Array(rawValue.utf8)
    guard bytes.count == 36 else { return nil }
    for (index, byte) in bytes.enumerated() {
      if [8, 13, 18, 23].contains(index) {
        guard byte == 0x2D else { return nil }
      } else {
        guard (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) else { return nil }
      }
    }
    self.rawValue = rawValue
  }

  /// Makes a version 7 id: 48 bits of Unix milliseconds, then 74 random bits.
  public static func make(at time: UTCTime, using generator: inout some RandomNumberGenerator)
    -> EventID
  {
    var bytes = [UInt8](repeating: 0, count: 16)
    let millis = UInt64(truncatingIfNeeded: time.millisecondsSinceEpoch)
    for index in 0..<6 {
      bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index)))
    }
    let high = generator.next() as UInt64
    let low = generator.next() as UInt64
    for index in 6..<16 {
      let source = index < 14 ? high : low
      bytes[index] = UInt8(truncatingIfNeeded: source >> (8 * (index % 8)))
    }
    bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
    bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 4122 variant
    let hex = bytes.map { byte in
      let text = String(byte, radix: 16)
      return byte < 16 ? "0" + text : text
    }.joined()
    let chars = Array(hex)
    let text =
      String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-" + String(chars[12..<16]) + "-"
      + String(chars[16..<20]) + "-" + String(chars[20..<32])
    guard let id = EventID(rawValue: text) else {
      preconditionFailure("generated event id is malformed: \(text)")
    }
    return id
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
