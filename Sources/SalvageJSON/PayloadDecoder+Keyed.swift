import Foundation

extension PayloadDecoder {

  struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: Reader
    let object: Int
    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] {
      var keys: [Key] = []
      var index = object + 1
      while index < reader.tokens[object].next {
        if let name = try? reader.string(at: index), let key = Key(stringValue: name) {
          keys.append(key)
        }
        index = reader.tokens[index + 1].next
      }
      return keys
    }

    /// The index of the value named `key`.
    func find(_ key: Key) -> Int? {
      var name = key.stringValue
      return name.withUTF8 { wanted in
        var index = object + 1
        let end = reader.tokens[object].next
        while index < end {
          let token = reader.tokens[index]
          if token.kind == .string, token.end - token.start == wanted.count,
            Self.equal(wanted, reader.bytes, at: token.start)
          {
            return index + 1
          }
          if token.kind == .escapedString, (try? reader.string(at: index)) == key.stringValue {
            return index + 1
          }
          index = reader.tokens[index + 1].next
        }
        return nil
      }
    }

    /// Whether `bytes` from `start` begin with `wanted` (which fits: the token's length matched).
    private static func equal(
      _ wanted: UnsafeBufferPointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>, at start: Int
    ) -> Bool {
      guard let wantedBase = wanted.baseAddress, let base = bytes.baseAddress else {
        return wanted.isEmpty
      }
      return memcmp(base + start, wantedBase, wanted.count) == 0
    }

    func value(_ key: Key) throws -> Int {
      guard let index = find(key) else { throw Refusal.missingKey }
      return index
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { reader.isNull(try value(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
      try reader.bool(at: value(key))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
      try reader.string(at: value(key))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
      try reader.floating(at: value(key))
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
      Float(try reader.floating(at: value(key)))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
      try reader.integer(type, at: value(key))
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
      try reader.integer(type, at: value(key))
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      try reader.decode(type, at: value(key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      let index = try value(key)
      guard reader.tokens[index].kind == .object else { throw Refusal.typeMismatch }
      return KeyedDecodingContainer(Keyed<NestedKey>(reader: reader, object: index))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      let index = try value(key)
      guard reader.tokens[index].kind == .array else { throw Refusal.typeMismatch }
      return Unkeyed(reader: reader, array: index)
    }

    func superDecoder() throws -> any Decoder { throw Refusal.unsupported }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw Refusal.unsupported }
  }
}
