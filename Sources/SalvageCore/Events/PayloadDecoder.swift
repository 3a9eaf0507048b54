public import Foundation

/// A strict, fast `Decoder` for the journal's own payload JSON.
///
/// Foundation's `JSONDecoder` spends about 3 µs on a four-field payload, which makes it the whole
/// cost of replaying a long journal. This reader tokenizes the bytes once into a flat array (each
/// value knows where the next one starts) and decodes straight from it. It accepts only what
/// Foundation accepts; anything it does not expect (and every error) makes the caller fall back
/// to `JSONDecoder`, so errors read exactly as before.
public enum PayloadDecoder {
  /// Decodes `type` from JSON bytes, or throws when they are not what this reader expects.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    try data.withUnsafeBytes { try decode(type, from: $0) }
  }

  /// Decodes `type` from JSON bytes borrowed for the call (a column SQLite still holds, say).
  public static func decode<T: Decodable>(_ type: T.Type, from raw: UnsafeRawBufferPointer) throws
    -> T
  {
    let bytes = raw.bindMemory(to: UInt8.self)
    var tokenizer = Tokenizer(bytes: bytes)
    let tokens = try tokenizer.tokenize()
    return try T(from: Reader(bytes: bytes, tokens: tokens))
  }

  /// Tokenizes JSON bytes once and hands the tokens to `body`, for readers that pick a few
  /// members out of a large document without a `Decodable` type for all of it.
  public static func withDocument<R>(_ data: Data, _ body: (Document) throws -> R) throws -> R {
    try data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var tokenizer = Tokenizer(bytes: bytes)
      let tokens = try tokenizer.tokenize()
      return try body(Document(reader: Reader(bytes: bytes, tokens: tokens)))
    }
  }

  /// A tokenized document, valid only inside ``withDocument(_:_:)``. Values are named by token
  /// index; the root is 0.
  public struct Document {
    let reader: Reader

    /// The value of member `name` of the object at `object`; `nil` when absent or not an object.
    public func member(_ name: String, of object: Int = 0) -> Int? {
      guard reader.tokens[object].kind == .object else { return nil }
      return Keyed<AnyKey>(reader: reader, object: object).find(AnyKey(stringValue: name))
    }

    /// Every member of the object at `object` with its value, in document order.
    public func members(of object: Int) -> [(name: String, value: Int)]? {
      guard reader.tokens[object].kind == .object else { return nil }
      var members: [(name: String, value: Int)] = []
      var index = object + 1
      while index < reader.tokens[object].next {
        guard let name = try? reader.string(at: index) else { return nil }
        members.append((name, index + 1))
        index = reader.tokens[index + 1].next
      }
      return members
    }

    /// The string at `index`; `nil` when it is not a string.
    public func string(_ index: Int) -> String? { try? reader.string(at: index) }

    /// Whether the value at `index` is an object.
    public func isObject(_ index: Int) -> Bool { reader.tokens[index].kind == .object }

    /// Whether the value at `index` is `null`.
    public func isNull(_ index: Int) -> Bool { reader.isNull(index) }

    /// Decodes the value at `index` as `type`.
    public func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
      try reader.decode(type, at: index)
    }
  }

  struct AnyKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
  }

  /// Why the fast reader gave up; callers fall back to `JSONDecoder` for the real message.
  struct Unexpected: Error {}

  struct Token {
    enum Kind: UInt8 {
      case object, array, string, escapedString, number, trueValue, falseValue, null
    }
    let kind: Kind
    /// The value's bytes (for strings, without the quotes).
    let start: Int
    let end: Int
    /// The index of the token after this value and everything inside it.
    var next: Int
  }

  struct Tokenizer {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var tokens: [Token] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
      self.bytes = bytes
      tokens.reserveCapacity(16)
    }

    mutating func tokenize() throws -> [Token] {
      try value(depth: 0)
      skipSpace()
      guard offset == bytes.count else { throw Unexpected() }
      return tokens
    }

    private mutating func skipSpace() {
      while offset < bytes.count,
        bytes[offset] == 0x20 || bytes[offset] == 0x0A || bytes[offset] == 0x09
          || bytes[offset] == 0x0D
      {
        offset += 1
      }
    }

    private mutating func value(depth: Int) throws {
      guard depth < 64 else { throw Unexpected() }
      skipSpace()
      guard offset < bytes.count else { throw Unexpected() }
      switch bytes[offset] {
      case UInt8(ascii: "{"): try container(.object, close: UInt8(ascii: "}"), depth: depth)
      case UInt8(ascii: "["): try container(.array, close: UInt8(ascii: "]"), depth: depth)
      case UInt8(ascii: "\""): try string()
      case UInt8(ascii: "t"): try literal("true", .trueValue)
      case UInt8(ascii: "f"): try literal("false", .falseValue)
      case UInt8(ascii: "n"): try literal("null", .null)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
      default: throw Unexpected()
      }
    }

    private mutating func container(_ kind: Token.Kind, close: UInt8, depth: Int) throws {
      let index = tokens.count
      tokens.append(Token(kind: kind, start: offset, end: offset, next: 0))
      offset += 1
      skipSpace()
      if offset < bytes.count, bytes[offset] == close {
        offset += 1
      } else {
        while true {
          if kind == .object {
            skipSpace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
              throw Unexpected()
            }
            try string()
            skipSpace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
              throw Unexpected()
            }
            offset += 1
          }
          try value(depth: depth + 1)
          skipSpace()
          guard offset < bytes.count else { throw Unexpected() }
          if bytes[offset] == UInt8(ascii: ",") {
            offset += 1
          } else if bytes[offset] == close {
            offset += 1
            break
          } else {
            throw Unexpected()
          }
        }
      }
      tokens[index].next = tokens.count
    }

    private mutating func string() throws {
      offset += 1
      let start = offset
      var escaped = false
      guard let base = bytes.baseAddress else { throw Unexpected() }
      while offset < bytes.count {
        // Jump to the next quote, then look back over the stretch for escapes and control bytes.
        guard let found = memchr(base + offset, 0x22, bytes.count - offset) else {
          throw Unexpected()
        }
        let quote = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
        var index = offset
        var closed = true
        while index < quote {
          let byte = base[index]
          if byte < 0x20 { throw Unexpected() }
          if byte == 0x5C {
            escaped = true
            index += 2
            if index > quote { closed = false }  // the quote itself was escaped
            continue
          }
          index += 1
        }
        if closed {
          tokens.append(
            Token(
              kind: escaped ? .escapedString : .string, start: start, end: quote,
              next: tokens.count + 1))
          offset = quote + 1
          return
        }
        offset = index
      }
      throw Unexpected()
    }

    private mutating func literal(_ text: StaticString, _ kind: Token.Kind) throws {
      let count = text.utf8CodeUnitCount
      guard offset + count <= bytes.count else { throw Unexpected() }
      for index in 0..<count where bytes[offset + index] != text.utf8Start[index] {
        throw Unexpected()
      }
      tokens.append(Token(kind: kind, start: offset, end: offset + count, next: tokens.count + 1))
      offset += count
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as JSON has it.
    private mutating func number() throws {
      let start = offset
      func digits() -> Int {
        let first = offset
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset])
        { offset += 1 }
        return offset - first
      }
      func at(_ byte: UInt8) -> Bool { offset < bytes.count && bytes[offset] == byte }
      if at(UInt8(ascii: "-")) { offset += 1 }
      let leadingZero = at(UInt8(ascii: "0"))
      let integer = digits()
      guard integer > 0, !(leadingZero && integer > 1) else { throw Unexpected() }
      if at(UInt8(ascii: ".")) {
        offset += 1
        guard digits() > 0 else { throw Unexpected() }
      }
      if at(UInt8(ascii: "e")) || at(UInt8(ascii: "E")) {
        offset += 1
        if at(UInt8(ascii: "+")) || at(UInt8(ascii: "-")) { offset += 1 }
        guard digits() > 0 else { throw Unexpected() }
      }
      tokens.append(Token(kind: .number, start: start, end: offset, next: tokens.count + 1))
    }
  }

  /// The decoder: one object for the whole payload, pointed at the value being decoded.
  final class Reader: Decoder {
    /// Borrowed for the duration of one ``PayloadDecoder/decode(_:from:)-(_,UnsafeRawBufferPointer)``.
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: [Token]
    var current = 0
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(bytes: UnsafeBufferPointer<UInt8>, tokens: [Token]) {
      self.bytes = bytes
      self.tokens = tokens
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
      guard tokens[current].kind == .object else { throw Unexpected() }
      return KeyedDecodingContainer(Keyed<Key>(reader: self, object: current))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
      guard tokens[current].kind == .array else { throw Unexpected() }
      return Unkeyed(reader: self, array: current)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
      Single(reader: self, index: current)
    }

    /// Decodes the value at `index` with this reader pointed at it.
    func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
      switch type {
      case is String.Type: return try string(at: index) as! T
      case is Int.Type: return try integer(Int.self, at: index) as! T
      case is Bool.Type: return try bool(at: index) as! T
      case is UTCTime.Type:
        let token = tokens[index]
        guard token.kind == .string,
          let time = UTCTime(utf8: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]))
        else { throw Unexpected() }
        return time as! T
      default:
        let saved = current
        current = index
        defer { current = saved }
        return try T(from: self)
      }
    }

    func string(at index: Int) throws -> String {
      let token = tokens[index]
      switch token.kind {
      case .string:
        guard
          let text = String(
            validating: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self
          )
        else { throw Unexpected() }
        return text
      case .escapedString: return try unescape(token)
      default: throw Unexpected()
      }
    }

    private func unescape(_ token: Token) throws -> String {
      var out: [UInt8] = []
      out.reserveCapacity(token.end - token.start)
      var offset = token.start
      func hex4() throws -> UInt32 {
        guard offset + 5 <= token.end else { throw Unexpected() }
        var value: UInt32 = 0
        for byte in bytes[(offset + 1)...(offset + 4)] {
          value <<= 4
          switch byte {
          case UInt8(ascii: "0")...UInt8(ascii: "9"): value |= UInt32(byte - 0x30)
          case UInt8(ascii: "a")...UInt8(ascii: "f"): value |= UInt32(byte - 0x57)
          case UInt8(ascii: "A")...UInt8(ascii: "F"): value |= UInt32(byte - 0x37)
          default: throw Unexpected()
          }
        }
        offset += 4
        return value
      }
      while offset < token.end {
        let byte = bytes[offset]
        guard byte == UInt8(ascii: "\\") else {
          out.append(byte)
          offset += 1
          continue
        }
        guard offset + 1 < token.end else { throw Unexpected() }
        offset += 1
        switch bytes[offset] {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if (0xD800...0xDBFF).contains(scalar) {
            guard offset + 2 < token.end, bytes[offset + 1] == UInt8(ascii: "\\"),
              bytes[offset + 2] == UInt8(ascii: "u")
            else { throw Unexpected() }
            offset += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw Unexpected() }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw Unexpected() }
          out.append(contentsOf: String(Character(unicode)).utf8)
        default: throw Unexpected()
        }
        offset += 1
      }
      guard let text = String(validating: out, as: UTF8.self) else { throw Unexpected() }
      return text
    }

    func bool(at index: Int) throws -> Bool {
      switch tokens[index].kind {
      case .trueValue: true
      case .falseValue: false
      default: throw Unexpected()
      }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, at index: Int) throws -> T {
      let token = tokens[index]
      guard token.kind == .number else { throw Unexpected() }
      var offset = token.start
      let negative = bytes[offset] == UInt8(ascii: "-")
      if negative { offset += 1 }
      guard offset < token.end else { throw Unexpected() }
      var value: T = 0
      while offset < token.end {
        let digit = bytes[offset] &- 0x30
        guard digit <= 9 else { throw Unexpected() }
        let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) =
          negative
          ? times.subtractingReportingOverflow(T(digit)) : times.addingReportingOverflow(T(digit))
        guard !overflow1, !overflow2 else { throw Unexpected() }
        value = sum
        offset += 1
      }
      return value
    }

    func floating(at index: Int) throws -> Double {
      let token = tokens[index]
      guard token.kind == .number,
        let value = Double(String(decoding: bytes[token.start..<token.end], as: UTF8.self)),
        value.isFinite
      else { throw Unexpected() }
      return value
    }

    func isNull(_ index: Int) -> Bool { tokens[index].kind == .null }
  }

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
            wanted.isEmpty
              || memcmp(reader.bytes.baseAddress! + token.start, wanted.baseAddress!, wanted.count)
                == 0
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

    func value(_ key: Key) throws -> Int {
      guard let index = find(key) else { throw Unexpected() }
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
      guard reader.tokens[index].kind == .object else { throw Unexpected() }
      return KeyedDecodingContainer(Keyed<NestedKey>(reader: reader, object: index))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      let index = try value(key)
      guard reader.tokens[index].kind == .array else { throw Unexpected() }
      return Unkeyed(reader: reader, array: index)
    }

    func superDecoder() throws -> any Decoder { throw Unexpected() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw Unexpected() }
  }

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
      guard !isAtEnd else { throw Unexpected() }
      let index = position
      position = reader.tokens[index].next
      currentIndex += 1
      return index
    }

    mutating func decodeNil() throws -> Bool {
      guard !isAtEnd else { throw Unexpected() }
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
      guard reader.tokens[index].kind == .object else { throw Unexpected() }
      return KeyedDecodingContainer(Keyed<NestedKey>(reader: reader, object: index))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      let index = try take()
      guard reader.tokens[index].kind == .array else { throw Unexpected() }
      return Unkeyed(reader: reader, array: index)
    }

    mutating func superDecoder() throws -> any Decoder { throw Unexpected() }
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
