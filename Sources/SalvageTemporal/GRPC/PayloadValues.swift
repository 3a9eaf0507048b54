import Foundation
internal import SalvageCore

/// Search attributes and memo fields: JSON payloads (`json/plain`), decoded into plain values.
enum PayloadValues {
  /// The fields named in `only`.
  static func decode(_ fields: [String: Temporal_Api_Common_V1_Payload], only names: Set<String>)
    -> [String: SearchAttributeValue]
  {
    var values: [String: SearchAttributeValue] = [:]
    for name in names {
      if let payload = fields[name], let value = decode(payload) { values[name] = value }
    }
    return values
  }

  static func decode(_ payload: Temporal_Api_Common_V1_Payload) -> SearchAttributeValue? {
    payload.data.withUnsafeBytes { data in
      if let encoding = payload.metadata["encoding"] {
        encoding.withUnsafeBytes { decode(data: data, encoding: $0) }
      } else {
        decode(data: data, encoding: nil)
      }
    }
  }

  /// A payload's value from its bytes: its `data`, and the value of its `encoding` metadata entry
  /// (nil when it has none). The generated message and ``ListPageReader`` both read through here.
  static func decode(data: UnsafeRawBufferPointer, encoding: UnsafeRawBufferPointer?)
    -> SearchAttributeValue?
  {
    if let encoding, !encoding.elementsEqual(jsonPlain) { return nil }
    return simple(data) ?? (try? JSONDecoder().decode(JSONValueBox.self, from: Data(data)).value)
  }

  private static let jsonPlain = Array("json/plain".utf8)

  /// ``simple(_:)-(UnsafeRawBufferPointer)`` over `data`'s bytes.
  static func simple(_ data: Data) -> SearchAttributeValue? {
    data.withUnsafeBytes { simple($0) }
  }

  /// The shapes search attributes almost always have (a string without escapes, a list of such
  /// strings, a Bool, a plain number), read straight from the bytes; anything else returns nil and
  /// goes to `JSONDecoder`. Identification reads several per execution, hundreds of thousands of times.
  static func simple(_ bytes: UnsafeRawBufferPointer) -> SearchAttributeValue? {
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
      var values: [SearchAttributeValue] = []
      var index = 1
      while index < count - 1 {
        guard bytes[index] == quote else { return nil }
        var end = index + 1
        while end < count - 1, bytes[end] != quote { end += 1 }
        guard end < count - 1, let text = string(index + 1, end) else { return nil }
        values.append(.string(text))
        index = end + 1
        if index < count - 1 {
          guard bytes[index] == UInt8(ascii: ",") else { return nil }
          index += 1
        }
      }
      return .list(values)
    default:
      let text = String(decoding: bytes, as: UTF8.self)
      if text == "true" { return .bool(true) }
      if text == "false" { return .bool(false) }
      if text == "null" { return .null }
      // Only JSON's number grammar: `Double("nan")`, `"inf"`, `"0x10"` and `"+1"` parse too.
      guard isJSONNumber(bytes), let number = Double(text), number.isFinite else { return nil }
      return .number(number)
    }
  }

  /// Whether the bytes are exactly one JSON number: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
  static func isJSONNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    func digits() -> Int {
      let start = index
      while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
        index += 1
      }
      return index - start
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
    let leadingZero = index < bytes.count && bytes[index] == UInt8(ascii: "0")
    let integer = digits()
    guard integer > 0, !(leadingZero && integer > 1) else { return false }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard digits() > 0 else { return false }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard digits() > 0 else { return false }
    }
    return index == bytes.count
  }
}

/// Any JSON value, decoded as a ``SearchAttributeValue`` (a Bool before a number, as JSON says).
private struct JSONValueBox: Decodable {
  let value: SearchAttributeValue

  init(from decoder: any Swift.Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      value = .null
    } else if let bool = try? container.decode(Bool.self) {
      value = .bool(bool)
    } else if let number = try? container.decode(Double.self) {
      value = .number(number)
    } else if let text = try? container.decode(String.self) {
      value = .string(text)
    } else if let list = try? container.decode([JSONValueBox].self) {
      value = .list(list.map(\.value))
    } else {
      value = .object(try container.decode([String: JSONValueBox].self).mapValues(\.value))
    }
  }
}
