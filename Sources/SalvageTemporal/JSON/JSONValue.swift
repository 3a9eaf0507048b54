import Foundation
import SalvageCore

/// Any JSON value, for the loosely shaped parts of the CLI's output (memo, payload data).
enum JSONValue: Decodable, Equatable {
  case string(String), number(Double), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    // The kinds search attributes hold most come first: each miss is a thrown error.
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  var attributeValue: SearchAttributeValue {
    switch self {
    case .string(let value): .string(value)
    case .number(let value): .number(value)
    case .bool(let value): .bool(value)
    case .array(let values): .list(values.map(\.attributeValue))
    case .object(let fields): .object(fields.mapValues(\.attributeValue))
    case .null: .null
    }
  }
}

/// An int64 the CLI prints as a string (`"4"`), sometimes as a number, and omits when zero.
struct FlexibleInt: Decodable, Equatable {
  let value: Int

  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let number = try? container.decode(Int.self) {
      value = number
    } else if let text = try? container.decode(String.self), let number = Int(text) {
      value = number
    } else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "expected an integer or its string"))
    }
  }
}

/// A search attribute as `workflow list` prints it: a base64 payload of JSON.
struct EncodedPayload: Decodable {
  let data: String?

  /// The decoded value; `nil` when the payload is not base64 JSON.
  var value: SearchAttributeValue? {
    guard let data, let bytes = Data(base64Encoded: data) else { return nil }
    let value = (try? PayloadDecoder.decode(JSONValue.self, from: bytes)) ?? (try? JSONDecoder().decode(JSONValue.self, from: bytes))
    return value?.attributeValue
  }
}

extension KeyedDecodingContainer {
  /// A server time, `nil` when missing, malformed or one of the server's zero values.
  func time(_ key: Key) -> UTCTime? {
    (try? decodeIfPresent(String.self, forKey: key)).flatMap { $0 }.flatMap(UTCTime.init(rfc3339:))
  }

  /// A string where `""` means "none".
  func nonEmpty(_ key: Key) -> String? {
    guard let text = (try? decodeIfPresent(String.self, forKey: key)) ?? nil, !text.isEmpty else {
      return nil
    }
    return text
  }

  /// A number that may be missing (then 0).
  func number(_ key: Key) -> Double {
    (try? decodeIfPresent(Double.self, forKey: key)) ?? 0
  }

  /// A count that the server omits when zero.
  func count(_ key: Key) -> Int {
    ((try? decodeIfPresent(FlexibleInt.self, forKey: key)) ?? nil)?.value ?? 0
  }
}
