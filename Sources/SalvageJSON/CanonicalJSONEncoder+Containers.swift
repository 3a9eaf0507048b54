import Foundation

extension CanonicalJSONEncoder {
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
      case let number as Int: return .number(String(number))
      case let flag as Bool: return .bool(flag)
      case let number as Double: return .number(try CanonicalJSONEncoder.number(number))
      case let number as Float: return .number(try CanonicalJSONEncoder.number(number))
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
    mutating func encode(_ value: Double, forKey key: Key) throws {
      members.entries.append((key.stringValue, .number(try CanonicalJSONEncoder.number(value))))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
      members.entries.append((key.stringValue, .number(try CanonicalJSONEncoder.number(value))))
    }
    mutating func encode(_ value: Int, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: Int8, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: Int16, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: Int32, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: Int64, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: UInt, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) {
      members.entries.append((key.stringValue, .number(String(value))))
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
    mutating func encode(_ value: Double) throws {
      elements.values.append(.number(try CanonicalJSONEncoder.number(value)))
    }
    mutating func encode(_ value: Float) throws {
      elements.values.append(.number(try CanonicalJSONEncoder.number(value)))
    }
    mutating func encode(_ value: Int) { elements.values.append(.number(String(value))) }
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
    mutating func encode(_ value: Double) throws {
      writer.root = .number(try CanonicalJSONEncoder.number(value))
    }
    mutating func encode(_ value: Float) throws {
      writer.root = .number(try CanonicalJSONEncoder.number(value))
    }
    mutating func encode(_ value: Int) { writer.root = .number(String(value)) }
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
