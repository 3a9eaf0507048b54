import Foundation

extension PayloadDecoder {

  struct Unkeyed: UnkeyedDecodingContainer {
    let reader: Reader
    let array: Int
    var position: Int
    var currentIndex = 0
    var codingPath: [any CodingKey] { [] }

    init(reader: Reader, array: Int) {
      self.reader = reader
      self.array = array
      position = array + 1
    }

    var count: Int? {
      var count = 0
      var index = array + 1
      while index < reader.tokens[array].next {
        count += 1
        index = reader.tokens[index].next
      }
      return count
    }

    var isAtEnd: Bool { position >= reader.tokens[array].next }

    /// The next element's index, moving past it.
    mutating func take() throws -> Int {
      guard !isAtEnd else { throw Refusal.missingKey }
      let index = position
      position = reader.tokens[index].next
      currentIndex += 1
      return index
    }

    mutating func decodeNil() throws -> Bool {
      guard !isAtEnd else { throw Refusal.missingKey }
      guard reader.isNull(position) else { return false }
      _ = try take()
      return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(at: take()) }
    mutating func decode(_ type: String.Type) throws -> String { try reader.string(at: take()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try reader.floating(at: take()) }
    mutating func decode(_ type: Float.Type) throws -> Float {
      Float(try reader.floating(at: take()))
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try reader.integer(type, at: take()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type, at: take()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 {
      try reader.integer(type, at: take())
    }
    mutating func decode(_ type: Int32.Type) throws -> Int32 {
      try reader.integer(type, at: take())
    }
    mutating func decode(_ type: Int64.Type) throws -> Int64 {
      try reader.integer(type, at: take())
    }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type, at: take()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
      try reader.integer(type, at: take())
    }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
      try reader.integer(type, at: take())
    }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
      try reader.integer(type, at: take())
    }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 {
      try reader.integer(type, at: take())
    }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
      try reader.decode(type, at: take())
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      let index = try take()
      guard reader.tokens[index].kind == .object else { throw Refusal.typeMismatch }
      return KeyedDecodingContainer(Keyed<NestedKey>(reader: reader, object: index))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      let index = try take()
      guard reader.tokens[index].kind == .array else { throw Refusal.typeMismatch }
      return Unkeyed(reader: reader, array: index)
    }

    mutating func superDecoder() throws -> any Decoder { throw Refusal.unsupported }
  }

  struct Single: SingleValueDecodingContainer {
    let reader: Reader
    let index: Int
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { reader.isNull(index) }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(at: index) }
    func decode(_ type: String.Type) throws -> String { try reader.string(at: index) }
    func decode(_ type: Double.Type) throws -> Double { try reader.floating(at: index) }
    func decode(_ type: Float.Type) throws -> Float { Float(try reader.floating(at: index)) }
    func decode(_ type: Int.Type) throws -> Int { try reader.integer(type, at: index) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type, at: index) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(type, at: index) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(type, at: index) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(type, at: index) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type, at: index) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(type, at: index) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(type, at: index) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(type, at: index) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(type, at: index) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.decode(type, at: index) }
  }
}
