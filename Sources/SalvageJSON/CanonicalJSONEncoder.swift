public import Foundation

/// Writes a value as canonical JSON (sorted keys, no white space, slashes unescaped): the bytes
/// `JSONEncoder` with `.sortedKeys` and `.withoutEscapingSlashes` writes, for the shapes event
/// payloads and state snapshots have (strings, integers, floating-point numbers, booleans, arrays,
/// optionals, nested structs and enums).
///
/// Foundation's encoder costs several microseconds a payload; this one a fraction of that. Numbers
/// are written as `JSONEncoder` writes them, so bytes stored by either read and hash the same. Not
/// written the same way (and not in any payload): `Data`, `Decimal`, `URL`, which `JSONEncoder`
/// special-cases, and `superEncoder`.
public enum CanonicalJSONEncoder {
  /// The value encoded nothing at all (`JSONEncoder` refuses that too).
  public struct Unsupported: Error, Equatable {}

  /// `value` as canonical JSON.
  public static func data(_ value: some Encodable) throws -> Data { Data(try encode(value)) }

  /// `value` as canonical JSON bytes.
  public static func encode(_ value: some Encodable) throws -> [UInt8] {
    let writer = Writer()
    try value.encode(to: writer)
    guard let root = writer.root else { throw Unsupported() }
    var out: [UInt8] = []
    out.reserveCapacity(128)
    root.write(into: &out)
    return out
  }

  /// A floating-point number as `JSONEncoder` writes it: Swift's shortest round-tripping
  /// `description`, less a trailing `.0` (`1.0` is `1`, `-0.0` is `-0`, `1e+16` stays). Like
  /// `JSONEncoder`, it refuses infinities and NaN.
  static func number<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) throws
    -> String
  {
    guard value.isFinite else {
      throw EncodingError.invalidValue(
        value,
        EncodingError.Context(
          codingPath: [], debugDescription: "Unable to encode \(value) directly in JSON."))
    }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
  }

  /// A value being built; objects and arrays are boxes so nested containers can fill them.
  enum Node {
    case object(Members)
    case array(Elements)
    case string(String)
    /// Digits as `JSONEncoder` writes them (see ``CanonicalJSONEncoder/number(_:)``).
    case number(String)
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
      case .number(let digits): out.append(contentsOf: digits.utf8)
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
}
