/// A value stored as one JSON string that the reader builds straight from the string's bytes, with
/// no `String` made on the way (a time read back for every event of a replay).
///
/// ``PayloadDecoder`` reads the types its caller names this way; when the initializer returns
/// `nil` (an escaped string, a form it does not write), the `Decodable` path reads it.
public protocol DecodableFromJSONString: Decodable {
  /// The value for the UTF-8 bytes between the quotes, or `nil` to leave it to `Decodable`.
  init?(jsonStringBytes bytes: UnsafeBufferPointer<UInt8>)
}

extension DecodableFromJSONString {
  /// The value of the string token at `index`, when it is an unescaped string the type reads.
  static func read(at index: Int, in reader: PayloadDecoder.Reader) -> Self? {
    let token = reader.tokens[index]
    guard token.kind == .string else { return nil }
    return Self(
      jsonStringBytes: UnsafeBufferPointer(rebasing: reader.bytes[token.start..<token.end]))
  }
}
