import Foundation

/// Writes an event payload as canonical JSON (sorted keys, no white space, slashes unescaped): the
/// bytes `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes, for the shapes
/// payloads have (strings, integers, booleans, times, arrays, nested structs).
///
/// Foundation's encoder costs several microseconds a payload; this one a fraction of that. It
/// refuses what it does not write the same way (floating-point numbers among them), and the
/// caller then uses `JSONEncoder`.
enum CanonicalJSONEncoder {
  struct Unsupported: Error {}

  /// `value` as canonical JSON: this encoder's bytes, or `JSONEncoder`'s for what it refuses.
  static func data(_ value: some Encodable) throws -> Data {
    if let bytes = try? encode(value) { return Data(bytes) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(value)
  }

  static func encode(_ value: some Encodable) throws -> [UInt8] {
    let writer = Writer()
    try value.encode(to: writer)
    guard let root = writer.root else { throw Unsupported() }
    var out: [UInt8] = []
    out.reserveCapacity(128)
    root.write(into: &out)
    return out
  }

  /// A value being built; objects and arrays are boxes so nested containers can fill them.
  enum Node {
    case object(Members)
    case array(Elements)
    case string(String)
    case integer(String)
    case bool(Bool)
    case null

    func write(into out: inout [UInt8]) {
      switch self {
      case .object(let members):
        out.append(UInt8(ascii: "{"))
        for (index, member) in members.sorted().enumerated() {
          if index > 0 { out.append(UInt8(ascii: ",")) }
          Node.quote(member.key, into: &out)
          out.append(UInt8(ascii: ":"))
          member.value.write(into: &out)
        }
        out.append(UInt8(ascii: "}"))
      case .array(let elements):
        out.append(UInt8(ascii: "["))
        for (index, element) in elements.values.enumerated() {
          if index > 0 { out.append(UInt8(ascii: ",")) }
          element.write(into: &out)
        }
        out.append(UInt8(ascii: "]"))
      case .string(let text): Node.quote(text, into: &out)
      case .integer(let digits): out.append(contentsOf: digits.utf8)
      case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
      case .null: out.append(contentsOf: "null".utf8)
      }
    }

    static func quote(_ text: String, into out: inout [UInt8]) {
      out.append(UInt8(ascii: "\""))
      for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
        case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0..<0x20:
          let hex: [UInt8] = Array("0123456789abcdef".utf8)
          out.append(contentsOf: [
            0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)],
          ])
        default: out.append(byte)
        }
      }
      out.append(UInt8(ascii: "\""))
    }
  }

  final class Members {
    var entries: [(key: String, value: Node)] = []
    func sorted() -> [(key: String, value: Node)] { entries.sorted { $0.key < $1.key } }
  }

  final class Elements {
    var values: [Node] = []
  }

  /// A slot a value is encoded into: a member, an element, or the root.
  final class Writer: Encoder {
    var root: Node?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      if case .object(let members)? = root {
        return KeyedEncodingContainer(Keyed(members: members))
      }
      let members = Members()
      root = .object(members)
      return KeyedEncodingContainer(Keyed(members: members))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
      if case .array(let elements)? = root { return Unkeyed(elements: elements) }
      let elements = Elements()
      root = .array(elements)
      return Unkeyed(elements: elements)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(writer: self) }

    /// The node for `value`: scalars directly, anything else through its own `encode(to:)`.
    static func node(_ value: some Encodable) throws -> Node {
      switch value {
      case let text as String: return .string(text)
      case let number as Int: return .integer(String(number))
      case let flag as Bool: return .bool(flag)
      case let time as UTCTime: return .string(time.description)
      case is Double, is Float: throw Unsupported()
      default:
        let writer = Writer()
        try value.encode(to: writer)
        guard let node = writer.root else { throw Unsupported() }
        return node
      }
    }
  }

  struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let members: Members
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) { members.entries.append((key.stringValue, .null)) }
    mutating func encode(_ value: Bool, forKey key: Key) {
      members.entries.append((key.stringValue, .bool(value)))
    }
    mutating func encode(_ value: String, forKey key: Key) {
      members.entries.append((key.stringValue, .string(value)))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws { throw Unsupported() }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw Unsupported() }
    mutating func encode(_ value: Int, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: Int8, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: Int16, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: Int32, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: Int64, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: UInt, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) {
      members.entries.append((key.stringValue, .integer(String(value))))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      members.entries.append((key.stringValue, try Writer.node(value)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type, forKey key: Key
    )
      -> KeyedEncodingContainer<NestedKey>
    {
      let nested = Members()
      members.entries.append((key.stringValue, .object(nested)))
      return KeyedEncodingContainer(Keyed<NestedKey>(members: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      let nested = Elements()
      members.entries.append((key.stringValue, .array(nested)))
      return Unkeyed(elements: nested)
    }

    mutating func superEncoder() -> any Encoder { Refusing() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { Refusing() }
  }

  struct Unkeyed: UnkeyedEncodingContainer {
    let elements: Elements
    var codingPath: [any CodingKey] { [] }
    var count: Int { elements.values.count }

    mutating func encodeNil() { elements.values.append(.null) }
    mutating func encode(_ value: Bool) { elements.values.append(.bool(value)) }
    mutating func encode(_ value: String) { elements.values.append(.string(value)) }
    mutating func encode(_ value: Double) throws { throw Unsupported() }
    mutating func encode(_ value: Float) throws { throw Unsupported() }
    mutating func encode(_ value: Int) { elements.values.append(.integer(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      elements.values.append(try Writer.node(value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
      -> KeyedEncodingContainer<NestedKey>
    {
      let nested = Members()
      elements.values.append(.object(nested))
      return KeyedEncodingContainer(Keyed<NestedKey>(members: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      let nested = Elements()
      elements.values.append(.array(nested))
      return Unkeyed(elements: nested)
    }

    mutating func superEncoder() -> any Encoder { Refusing() }
  }

  struct Single: SingleValueEncodingContainer {
    let writer: Writer
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() { writer.root = .null }
    mutating func encode(_ value: Bool) { writer.root = .bool(value) }
    mutating func encode(_ value: String) { writer.root = .string(value) }
    mutating func encode(_ value: Double) throws { throw Unsupported() }
    mutating func encode(_ value: Float) throws { throw Unsupported() }
    mutating func encode(_ value: Int) { writer.root = .integer(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { writer.root = try Writer.node(value) }
  }

  /// `superEncoder`, which no payload calls: what is written through it is dropped (the test that
  /// compares every payload type with `JSONEncoder` would catch a payload that started to).
  final class Refusing: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
      KeyedEncodingContainer(Keyed(members: Members()))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(elements: Elements()) }
    func singleValueContainer() -> any SingleValueEncodingContainer { Single(writer: Writer()) }
  }
}
