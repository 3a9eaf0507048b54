/// An instant in UTC with millisecond precision, written `2026-11-25T03:12:45.120Z`.
///
/// The journal stores times in this exact text form, and the hash chain covers that text, so the
/// formatting is done here by plain arithmetic rather than by a locale-sensitive formatter: the same
/// instant always gives the same bytes.
public struct UTCTime: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
  /// Milliseconds since 1970-01-01T00:00:00Z.
  public let millisecondsSinceEpoch: Int64

  /// Creates a time from milliseconds since the Unix epoch.
  public init(millisecondsSinceEpoch: Int64) {
    self.millisecondsSinceEpoch = millisecondsSinceEpoch
  }

  /// The ISO 8601 text, always with milliseconds and a `Z`.
  public var description: String {
    let parts = civil
    guard (0...9999).contains(parts.year) else {
      return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))T"
        + "\(pad(parts.hour, 2)):\(pad(parts.minute, 2)):\(pad(parts.second, 2))."
        + "\(pad(parts.millisecond, 3))Z"
    }
    // Written digit by digit into one 24-byte string: every event's time goes through here.
    return String(unsafeUninitializedCapacity: 24) { out in
      var offset = 0
      func put(_ value: Int64, _ width: Int) {
        var value = value
        for index in stride(from: width - 1, through: 0, by: -1) {
          out[offset + index] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
          value /= 10
        }
        offset += width
      }
      func put(_ byte: UInt8) {
        out[offset] = byte
        offset += 1
      }
      let fields: [(value: Int64, width: Int, then: UInt8)] = [
        (parts.year, 4, 0x2D), (parts.month, 2, 0x2D), (parts.day, 2, 0x54), (parts.hour, 2, 0x3A),
        (parts.minute, 2, 0x3A), (parts.second, 2, 0x2E), (parts.millisecond, 3, 0x5A),
      ]
      for field in fields {
        put(field.value, field.width)
        put(field.then)
      }
      return offset
    }
  }

  /// A compact stamp for identifiers: `20261125T031245`.
  public var compactStamp: String {
    let parts = civil
    return "\(pad(parts.year, 4))\(pad(parts.month, 2))\(pad(parts.day, 2))T"
      + "\(pad(parts.hour, 2))\(pad(parts.minute, 2))\(pad(parts.second, 2))"
  }

  /// Parses the form that ``description`` writes; `nil` for anything else.
  public init?(iso8601 text: String) {
    var text = text
    guard let millis = text.withUTF8({ Self.parse($0) }) else { return nil }
    self.init(millisecondsSinceEpoch: millis)
  }

  /// Parses the form that ``description`` writes from its UTF-8 bytes; `nil` for anything else.
  public init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
    guard let millis = Self.parse(bytes) else { return nil }
    self.init(millisecondsSinceEpoch: millis)
  }

  /// Milliseconds since the epoch from `YYYY-MM-DDTHH:MM:SS.mmmZ`; `nil` for anything else,
  /// including days a month does not have.
  private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard bytes.count == 24, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54,
      bytes[13] == 0x3A, bytes[16] == 0x3A, bytes[19] == 0x2E, bytes[23] == 0x5A
    else { return nil }
    func number(_ range: Range<Int>) -> Int64? {
      var value: Int64 = 0
      for index in range {
        let digit = Int64(bytes[index]) &- 0x30
        guard digit >= 0, digit <= 9 else { return nil }
        value = value * 10 + digit
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      let millisecond = number(20..<23), (1...12).contains(month), day >= 1,
      day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
    else { return nil }
    let days = Self.daysFromCivil(year: year, month: month, day: day)
    let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second
    return seconds * 1000 + millisecond
  }

  private static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  public static func < (lhs: UTCTime, rhs: UTCTime) -> Bool {
    lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let time = UTCTime(iso8601: text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "malformed UTC time \(text)"))
    }
    self = time
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  private var civil:
    (
      year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64,
      millisecond: Int64
    )
  {
    let millis = millisecondsSinceEpoch
    let totalSeconds = floorDivide(millis, 1000)
    let millisecond = millis - totalSeconds * 1000
    let days = floorDivide(totalSeconds, 86_400)
    let secondOfDay = totalSeconds - days * 86_400
    let date = Self.civilFromDays(days)
    return (
      date.year, date.month, date.day, secondOfDay / 3600, (secondOfDay / 60) % 60,
      secondOfDay % 60, millisecond
    )
  }

  // Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian calendar.
  private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = floorDivide(y, 400)
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  private static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let z = days + 719_468
    let era = floorDivide(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

private func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
  let quotient = a / b
  return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

private func pad(_ value: Int64, _ width: Int) -> String {
  let text = String(value)
  return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}
