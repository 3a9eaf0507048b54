import Foundation

extension PayloadDecoder {
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
    /// For a string, whether every byte is ASCII: then it is valid UTF-8 without checking again.
    var ascii = false
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
      guard offset == bytes.count else { throw Refusal.malformed }
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
      guard depth < 64 else { throw Refusal.malformed }
      skipSpace()
      guard offset < bytes.count else { throw Refusal.malformed }
      switch bytes[offset] {
      case UInt8(ascii: "{"): try container(.object, close: UInt8(ascii: "}"), depth: depth)
      case UInt8(ascii: "["): try container(.array, close: UInt8(ascii: "]"), depth: depth)
      case UInt8(ascii: "\""): try string()
      case UInt8(ascii: "t"): try literal("true", .trueValue)
      case UInt8(ascii: "f"): try literal("false", .falseValue)
      case UInt8(ascii: "n"): try literal("null", .null)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
      default: throw Refusal.malformed
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
              throw Refusal.malformed
            }
            try string()
            skipSpace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
              throw Refusal.malformed
            }
            offset += 1
          }
          try value(depth: depth + 1)
          skipSpace()
          guard offset < bytes.count else { throw Refusal.malformed }
          if bytes[offset] == UInt8(ascii: ",") {
            offset += 1
          } else if bytes[offset] == close {
            offset += 1
            break
          } else {
            throw Refusal.malformed
          }
        }
      }
      tokens[index].next = tokens.count
    }

    private mutating func string() throws {
      offset += 1
      let start = offset
      var escaped = false
      var ascii = true
      guard let base = bytes.baseAddress else { throw Refusal.malformed }
      while offset < bytes.count {
        // Jump to the next quote, then look back over the stretch for escapes and control bytes.
        guard let found = memchr(base + offset, 0x22, bytes.count - offset) else {
          throw Refusal.malformed
        }
        let quote = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
        var index = offset
        var closed = true
        while index < quote {
          let byte = base[index]
          if byte < 0x20 { throw Refusal.malformed }
          if byte >= 0x80 { ascii = false }
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
              next: tokens.count + 1, ascii: ascii))
          offset = quote + 1
          return
        }
        offset = index
      }
      throw Refusal.malformed
    }

    private mutating func literal(_ text: StaticString, _ kind: Token.Kind) throws {
      let count = text.utf8CodeUnitCount
      guard offset + count <= bytes.count else { throw Refusal.malformed }
      for index in 0..<count where bytes[offset + index] != text.utf8Start[index] {
        throw Refusal.malformed
      }
      tokens.append(Token(kind: kind, start: offset, end: offset + count, next: tokens.count + 1))
      offset += count
    }

    /// A number, by JSON's grammar (``JSONNumber``).
    private mutating func number() throws {
      let start = offset
      guard let end = JSONNumber.end(in: UnsafeRawBufferPointer(bytes), from: start) else {
        throw Refusal.malformed
      }
      offset = end
      tokens.append(Token(kind: .number, start: start, end: offset, next: tokens.count + 1))
    }
  }

}
