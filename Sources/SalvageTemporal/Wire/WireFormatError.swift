/// Why protobuf wire-format bytes could not be read: what was wrong, and the byte offset (from the
/// start of the message) of the field, tag or varint where it was found.
public struct WireFormatError: Error, Equatable, Sendable, CustomStringConvertible {
  public enum Problem: Equatable, Sendable {
    /// A varint, a fixed-width value or a length-delimited body runs past the end of its message.
    case truncated
    /// A varint longer than 10 bytes.
    case malformedVarint
    /// A tag with field number 0, or one too large for a field number.
    case invalidTag
    /// A tag with wire type 6 or 7, which protobuf does not define.
    case invalidWireType(UInt8)
    /// An end-group tag that closes no group, or another group than the open one.
    case unexpectedEndGroup
    /// Groups nested deeper than ``WireReader/groupDepthLimit``.
    case groupsTooDeep
    /// A string field salvage reads whose bytes are not UTF-8.
    case invalidUTF8
    /// A timestamp whose milliseconds do not fit in 64 bits.
    case timestampOutOfRange
  }

  public let problem: Problem
  public let offset: Int

  init(_ problem: Problem, at offset: Int) {
    self.problem = problem
    self.offset = offset
  }

  public var description: String {
    let what =
      switch problem {
      case .truncated: "a field runs past the end of its message (truncated)"
      case .malformedVarint: "a varint is longer than 10 bytes"
      case .invalidTag: "a field tag has no valid field number"
      case .invalidWireType(let type): "a field tag has wire type \(type), which protobuf lacks"
      case .unexpectedEndGroup: "an end-group tag closes no open group"
      case .groupsTooDeep: "groups nest more than \(WireReader.groupDepthLimit) deep"
      case .invalidUTF8: "a string field is not UTF-8"
      case .timestampOutOfRange: "a timestamp is out of range"
      }
    return "malformed protobuf at byte \(offset): \(what)"
  }
}
