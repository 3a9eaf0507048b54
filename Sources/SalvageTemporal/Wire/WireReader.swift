import Foundation
internal import SalvageJSON

/// How a protobuf field's value is laid out after its tag (protobuf's encoding guide).
enum WireType: UInt8 {
  case varint = 0
  case fixed64 = 1
  case lengthDelimited = 2
  case startGroup = 3
  case endGroup = 4
  case fixed32 = 5
}

/// A cursor over protobuf wire-format bytes it does not own: it reads tags, varints and the bodies
/// of length-delimited fields in place, and skips a field without copying or allocating.
///
/// Every read checks its bounds against the message it is in (`end`) and throws
/// ``WireFormatError`` with the offset of what it could not read. The buffer must outlive the
/// reader; offsets are from the start of the whole buffer, so the ranges it returns address it.
struct WireReader {
  private let buffer: UnsafeRawBufferPointer
  /// The next byte to read.
  private(set) var offset: Int
  /// Where the last tag read began: the offset errors about its field give.
  private(set) var fieldStart = 0
  /// One past the last byte of the message being read.
  let end: Int

  init(_ buffer: UnsafeRawBufferPointer) {
    self.buffer = buffer
    offset = 0
    end = buffer.count
  }

  /// A reader of the message in `range` of the same buffer (a field's body).
  private init(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) {
    self.buffer = buffer
    offset = range.lowerBound
    end = range.upperBound
  }

  var isAtEnd: Bool { offset >= end }

  /// The bytes of `range` (a field's body), valid as long as the buffer is.
  func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(rebasing: buffer[range])
  }

  /// Whether two ranges of the buffer hold the same bytes.
  func same(_ one: Range<Int>, _ other: Range<Int>) -> Bool {
    guard one.count == other.count else { return false }
    guard one != other, let base = buffer.baseAddress, !one.isEmpty else { return true }
    return memcmp(base + one.lowerBound, base + other.lowerBound, one.count) == 0
  }

  /// Whether `range` of the buffer holds exactly `bytes`.
  func holds(_ range: Range<Int>, _ bytes: [UInt8]) -> Bool {
    guard range.count == bytes.count else { return false }
    guard let base = buffer.baseAddress, !range.isEmpty else { return true }
    return bytes.withUnsafeBytes { expected in
      expected.baseAddress.map { memcmp(base + range.lowerBound, $0, range.count) == 0 } ?? false
    }
  }

  /// A reader of the embedded message in `range` (a body ``lengthDelimited()`` returned).
  func message(_ range: Range<Int>) -> WireReader {
    WireReader(buffer, range)
  }

  /// The body of the length-delimited field whose tag was just read, as a reader of its own.
  mutating func message() throws(WireFormatError) -> WireReader {
    WireReader(buffer, try lengthDelimited())
  }

  /// A string field's value: UTF-8, checked as swift-protobuf checks it.
  mutating func string() throws(WireFormatError) -> String {
    let body = try lengthDelimited()
    guard let text = UTF8Text.string(bytes(body)) else {
      throw WireFormatError(.invalidUTF8, at: fieldStart)
    }
    return text
  }

  /// A base-128 varint, at most 10 bytes; bits past the 64th are dropped, as every protobuf runtime
  /// does.
  mutating func varint() throws(WireFormatError) -> UInt64 {
    let start = offset
    guard offset < end else { throw WireFormatError(.truncated, at: start) }
    let first = buffer[offset]
    offset += 1
    if first < 0x80 { return UInt64(first) }
    var value = UInt64(first & 0x7F)
    var shift: UInt64 = 7
    while true {
      guard offset < end else { throw WireFormatError(.truncated, at: start) }
      guard shift < 64 else { throw WireFormatError(.malformedVarint, at: start) }
      let byte = buffer[offset]
      offset += 1
      value |= UInt64(byte & 0x7F) &<< shift
      if byte < 0x80 { return value }
      shift += 7
    }
  }

  /// The next field's number and wire type. An end-group tag is returned as such: only a group
  /// being skipped may end there.
  mutating func tag() throws(WireFormatError) -> (field: UInt32, type: WireType) {
    let start = offset
    fieldStart = start
    let raw = try varint()
    guard raw <= UInt64(UInt32.max), raw >> 3 != 0 else {
      throw WireFormatError(.invalidTag, at: start)
    }
    let typeBits = UInt8(truncatingIfNeeded: raw & 7)
    guard let type = WireType(rawValue: typeBits) else {
      throw WireFormatError(.invalidWireType(typeBits), at: start)
    }
    return (UInt32(truncatingIfNeeded: raw >> 3), type)
  }

  /// The body of a length-delimited field (its length read, the cursor moved past it).
  mutating func lengthDelimited() throws(WireFormatError) -> Range<Int> {
    let start = offset
    let length = try varint()
    guard length <= UInt64(end - offset) else { throw WireFormatError(.truncated, at: start) }
    let body = offset..<(offset + Int(length))
    offset = body.upperBound
    return body
  }

  /// Skips the value of a field whose tag was just read: any wire type, a group up to its end tag.
  /// An end-group tag here closes nothing: malformed.
  mutating func skip(_ type: WireType, field: UInt32) throws(WireFormatError) {
    try skip(type, field: field, depth: 0)
  }

  /// How deeply groups may nest inside a skipped field (swift-protobuf's message depth limit).
  static let groupDepthLimit = 100

  private mutating func skip(_ type: WireType, field: UInt32, depth: Int) throws(WireFormatError) {
    switch type {
    case .varint: _ = try varint()
    case .fixed64: try advance(8)
    case .fixed32: try advance(4)
    case .lengthDelimited: _ = try lengthDelimited()
    case .endGroup: throw WireFormatError(.unexpectedEndGroup, at: fieldStart)
    case .startGroup:
      let start = offset
      guard depth < Self.groupDepthLimit else {
        throw WireFormatError(.groupsTooDeep, at: start)
      }
      while true {
        guard !isAtEnd else { throw WireFormatError(.truncated, at: start) }
        let tagStart = offset
        let inner = try tag()
        if inner.type == .endGroup {
          guard inner.field == field else {
            throw WireFormatError(.unexpectedEndGroup, at: tagStart)
          }
          return
        }
        try skip(inner.type, field: inner.field, depth: depth + 1)
      }
    }
  }

  private mutating func advance(_ count: Int) throws(WireFormatError) {
    guard end - offset >= count else { throw WireFormatError(.truncated, at: offset) }
    offset += count
  }
}
