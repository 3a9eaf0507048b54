import Foundation

extension PayloadDecoder {
  /// The decoder: one object for the whole payload, pointed at the value being decoded.
  final class Reader: Decoder {
    /// Borrowed for the duration of one ``PayloadDecoder/decode(_:from:)-(_,UnsafeRawBufferPointer)``.
    let bytes: UnsafeBufferPointer<UInt8>
    let tokens: [Token]
    /// The types read straight from a string's bytes (``DecodableFromJSONString``), named by the
    /// caller: matching a type by identity costs far less than asking whether it conforms.
    let stringValues: [any DecodableFromJSONString.Type]
    var current = 0
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(
      bytes: UnsafeBufferPointer<UInt8>, tokens: [Token],
      stringValues: [any DecodableFromJSONString.Type] = []
    ) {
      self.bytes = bytes
      self.tokens = tokens
      self.stringValues = stringValues
    }

    /// The string value type `type` is, when the caller named it.
    private func stringValue(_ type: Any.Type) -> (any DecodableFromJSONString.Type)? {
      stringValues.first { ObjectIdentifier($0) == ObjectIdentifier(type) }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
      guard tokens[current].kind == .object else { throw Refusal.typeMismatch }
      return KeyedDecodingContainer(Keyed<Key>(reader: self, object: current))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
      guard tokens[current].kind == .array else { throw Refusal.typeMismatch }
      return Unkeyed(reader: self, array: current)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
      Single(reader: self, index: current)
    }

    /// Decodes the value at `index` with this reader pointed at it.
    func decode<T: Decodable>(_ type: T.Type, at index: Int) throws -> T {
      // Each case has matched `T` exactly, so the value is returned as `T` by a bit cast: `as? T`
      // would ask the runtime for `T?`'s metadata and cast dynamically on every call.
      switch type {
      case is String.Type: return unsafeBitCast(try string(at: index), to: T.self)
      case is Int.Type: return unsafeBitCast(try integer(Int.self, at: index), to: T.self)
      case is Bool.Type: return unsafeBitCast(try bool(at: index), to: T.self)
      default:
        if let scalar = stringValue(type), tokens[index].kind == .string {
          // What the type does not read from the bytes, its `Decodable` path reads below.
          do { return try read(scalar, as: type, at: index) } catch {}
        }
        let saved = current
        current = index
        defer { current = saved }
        return try T(from: self)
      }
    }

    /// The unescaped string at `index` read as `S`, which is `T` (``stringValue(_:)`` matched
    /// them by identity), and returned as `T`: no `T?` and no `as? T` of an existential, each of
    /// which asks the runtime for metadata on every call.
    private func read<S: DecodableFromJSONString, T>(
      _ scalar: S.Type, as type: T.Type, at index: Int
    ) throws -> T {
      guard S.self == T.self else { throw Refusal.typeMismatch }
      let token = tokens[index]
      let value = try S(
        jsonStringBytes: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]))
      return unsafeBitCast(value, to: T.self)
    }

    func string(at index: Int) throws -> String {
      let token = tokens[index]
      switch token.kind {
      case .string:
        let slice = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        // ASCII is UTF-8: `String(validating:)` is generic and asks for metadata on every call
        // (1,000 instructions a string under callgrind), `String(decoding:)` is specialized.
        if token.ascii { return String(decoding: slice, as: UTF8.self) }
        guard let text = String(validating: slice, as: UTF8.self) else {
          throw Refusal.invalidUTF8
        }
        return text
      case .escapedString: return try unescape(token)
      default: throw Refusal.typeMismatch
      }
    }

    private func unescape(_ token: Token) throws -> String {
      var out: [UInt8] = []
      out.reserveCapacity(token.end - token.start)
      var offset = token.start
      func hex4() throws -> UInt32 {
        guard offset + 5 <= token.end else { throw Refusal.malformed }
        var value: UInt32 = 0
        for byte in bytes[(offset + 1)...(offset + 4)] {
          value <<= 4
          switch byte {
          case UInt8(ascii: "0")...UInt8(ascii: "9"): value |= UInt32(byte - 0x30)
          case UInt8(ascii: "a")...UInt8(ascii: "f"): value |= UInt32(byte - 0x57)
          case UInt8(ascii: "A")...UInt8(ascii: "F"): value |= UInt32(byte - 0x37)
          default: throw Refusal.malformed
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
        guard offset + 1 < token.end else { throw Refusal.malformed }
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
            else { throw Refusal.malformed }
            offset += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw Refusal.malformed }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let unicode = Unicode.Scalar(scalar) else { throw Refusal.malformed }
          out.append(contentsOf: String(Character(unicode)).utf8)
        default: throw Refusal.malformed
        }
        offset += 1
      }
      guard let text = String(validating: out, as: UTF8.self) else { throw Refusal.invalidUTF8 }
      return text
    }

    func bool(at index: Int) throws -> Bool {
      switch tokens[index].kind {
      case .trueValue: true
      case .falseValue: false
      default: throw Refusal.typeMismatch
      }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, at index: Int) throws -> T {
      let token = tokens[index]
      guard token.kind == .number else { throw Refusal.typeMismatch }
      var offset = token.start
      let negative = bytes[offset] == UInt8(ascii: "-")
      if negative { offset += 1 }
      guard offset < token.end else { throw Refusal.malformed }
      var value: T = 0
      while offset < token.end {
        let digit = bytes[offset] &- 0x30
        guard digit <= 9 else { throw Refusal.typeMismatch }
        let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) =
          negative
          ? times.subtractingReportingOverflow(T(digit)) : times.addingReportingOverflow(T(digit))
        guard !overflow1, !overflow2 else { throw Refusal.typeMismatch }
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
      else { throw Refusal.typeMismatch }
      return value
    }

    func isNull(_ index: Int) -> Bool { tokens[index].kind == .null }
  }
}
