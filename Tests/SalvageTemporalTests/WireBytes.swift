import Foundation
import SwiftProtobuf

/// Protobuf wire bytes written by hand, for what the generated messages cannot hold: unknown
/// fields, groups, a field repeated, map entries with the value before the key. Appending fields to
/// a message's bytes adds them to it (a repeated embedded message merges), so bytes made of
/// swift-protobuf's serializations and these stay a valid message.
struct WireBytes {
  private(set) var bytes: [UInt8] = []

  init() {}

  init(_ message: some SwiftProtobuf.Message) {
    // The test's own messages always serialize.
    bytes = (try? message.serializedBytes()) ?? []
  }

  mutating func varint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  mutating func tag(_ field: UInt32, wireType: UInt8) {
    varint(UInt64(field) << 3 | UInt64(wireType))
  }

  mutating func varint(_ field: UInt32, _ value: UInt64) {
    tag(field, wireType: 0)
    varint(value)
  }

  mutating func lengthDelimited(_ field: UInt32, _ body: [UInt8]) {
    tag(field, wireType: 2)
    varint(UInt64(body.count))
    bytes += body
  }

  mutating func lengthDelimited(_ field: UInt32, _ text: String) {
    lengthDelimited(field, Array(text.utf8))
  }

  mutating func lengthDelimited(_ field: UInt32, _ message: WireBytes) {
    lengthDelimited(field, message.bytes)
  }

  mutating func fixed64(_ field: UInt32, _ value: UInt64) {
    tag(field, wireType: 1)
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }

  mutating func fixed32(_ field: UInt32, _ value: UInt32) {
    tag(field, wireType: 5)
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }

  /// A group (wire types 3 and 4) around `body`'s fields.
  mutating func group(_ field: UInt32, _ body: WireBytes) {
    tag(field, wireType: 3)
    bytes += body.bytes
    tag(field, wireType: 4)
  }

  mutating func append(_ other: WireBytes) {
    bytes += other.bytes
  }

  mutating func append(_ raw: [UInt8]) {
    bytes += raw
  }

  /// A `ListWorkflowExecutionsResponse` of these executions' bodies, with any extra fields.
  static func page(executions: [WireBytes], token: [UInt8]?, extra: WireBytes = WireBytes())
    -> WireBytes
  {
    var page = WireBytes()
    for execution in executions { page.lengthDelimited(1, execution) }
    if let token { page.lengthDelimited(2, token) }
    page.append(extra)
    return page
  }
}
