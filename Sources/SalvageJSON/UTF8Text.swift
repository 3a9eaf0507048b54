/// Strings from bytes received on the wire, validated as UTF-8 the way swift-protobuf validates a
/// string field: nil when they are not UTF-8, never repaired.
public enum UTF8Text {
  /// The bytes as a String, or nil when they are not UTF-8. ASCII (every identifier salvage reads,
  /// almost always) is checked eight bytes at a time and copied once; anything else goes through
  /// `String(validating:as:)`, whose generic path costs more than the copy.
  public static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
    bytes.withMemoryRebound(to: UInt8.self) { utf8 in
      isASCII(bytes)
        ? String(decoding: utf8, as: UTF8.self) : String(validating: utf8, as: UTF8.self)
    }
  }

  public static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var index = 0
    var high: UInt64 = 0
    while index + 8 <= bytes.count {
      high |= bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      index += 8
    }
    while index < bytes.count {
      high |= UInt64(bytes[index])
      index += 1
    }
    return high & 0x8080_8080_8080_8080 == 0
  }
}
