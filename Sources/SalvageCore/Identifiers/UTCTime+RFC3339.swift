extension UTCTime {
  /// Reads the times the Temporal server prints: `2026-11-25T12:05:20.400425031Z`, any number of
  /// fraction digits (kept to the millisecond), or none. The server's zero values
  /// (`0001-01-01T00:00:00Z`, `1970-01-01T00:00:00Z`) mean "never" and read as `nil`.
  public init?(rfc3339 text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes.last == 0x5A else { return nil }
    var fraction = "000"
    if bytes.count > 20 {
      guard bytes[19] == 0x2E else { return nil }
      let digits = bytes[20..<(bytes.count - 1)]
      guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
      fraction = String(decoding: digits.prefix(3), as: UTF8.self)
      while fraction.count < 3 { fraction += "0" }
    }
    let head = String(decoding: bytes[0..<19], as: UTF8.self)
    guard let time = UTCTime(iso8601: "\(head).\(fraction)Z") else { return nil }
    if time.millisecondsSinceEpoch <= 0 { return nil }
    self = time
  }
}
