/// The plain shapes a search attribute's JSON payload almost always has, read straight from its
/// bytes: a string without escapes, a list of such strings, a Bool, a number, null. Identification
/// reads several per execution, hundreds of thousands of times; anything else is left to a full
/// JSON decoder.
public enum PlainJSON: Equatable, Sendable {
  case string(String)
  case strings([String])
  case bool(Bool)
  case number(Double)
  case null

  /// `bytes` as one plain value, or nil for anything else: escapes, objects, nested lists, white
  /// space, a number JSON's grammar refuses, bytes that are not UTF-8. A full JSON decoder reads
  /// those.
  public static func read(_ bytes: UnsafeRawBufferPointer) -> PlainJSON? {
    let quote = UInt8(ascii: "\"")
    let backslash = UInt8(ascii: "\\")
    // A string without escapes, control characters or quotes (in a lone string, a quote inside
    // means its closing quote was not the last byte's pair).
    func string(_ start: Int, _ end: Int) -> String? {
      guard end > start else { return end == start ? "" : nil }
      var index = start
      while index < end {
        if bytes[index] == backslash || bytes[index] == quote || bytes[index] < 0x20 { return nil }
        index += 1
      }
      // Validating, not repairing: bytes that are not UTF-8 go to JSONDecoder, which refuses them.
      return UTF8Text.string(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }
    let count = bytes.count
    guard count > 0 else { return nil }
    switch bytes[0] {
    case quote:
      guard count >= 2, bytes[count - 1] == quote, let text = string(1, count - 1) else {
        return nil
      }
      return .string(text)
    case UInt8(ascii: "["):
      guard bytes[count - 1] == UInt8(ascii: "]") else { return nil }
      var values: [String] = []
      var index = 1
      while index < count - 1 {
        guard bytes[index] == quote else { return nil }
        var end = index + 1
        while end < count - 1, bytes[end] != quote { end += 1 }
        guard end < count - 1, let text = string(index + 1, end) else { return nil }
        values.append(text)
        index = end + 1
        if index < count - 1 {
          guard bytes[index] == UInt8(ascii: ",") else { return nil }
          index += 1
        }
      }
      return .strings(values)
    default:
      let text = String(decoding: bytes, as: UTF8.self)
      if text == "true" { return .bool(true) }
      if text == "false" { return .bool(false) }
      if text == "null" { return .null }
      // Only JSON's number grammar: `Double("nan")`, `"inf"`, `"0x10"` and `"+1"` parse too.
      guard JSONNumber.end(in: bytes, from: 0) == bytes.count, let number = Double(text),
        number.isFinite
      else { return nil }
      return .number(number)
    }
  }
}
