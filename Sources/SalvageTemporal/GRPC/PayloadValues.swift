import Foundation
internal import SalvageCore
internal import SalvageJSON

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

  /// The shapes search attributes almost always have, read straight from the bytes by
  /// ``PlainJSON``; anything else returns nil and goes to `JSONDecoder`. Identification reads
  /// several per execution, hundreds of thousands of times.
  static func simple(_ bytes: UnsafeRawBufferPointer) -> SearchAttributeValue? {
    switch PlainJSON.read(bytes) {
    case .string(let text): .string(text)
    case .strings(let texts): .list(texts.map { .string($0) })
    case .bool(let value): .bool(value)
    case .number(let value): .number(value)
    case .null: .null
    case nil: nil
    }
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
