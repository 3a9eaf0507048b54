/// A value stored as one JSON string that the reader builds straight from the string's bytes, with
/// no `String` made on the way (a time read back for every event of a replay).
///
/// ``PayloadDecoder`` asks a type that conforms before its `Decodable` path; when the initializer
/// returns `nil` (an escaped string, a form it does not write), the `Decodable` path reads it.
public protocol DecodableFromJSONString: Decodable {
  /// The value for the UTF-8 bytes between the quotes, or `nil` to leave it to `Decodable`.
  init?(jsonStringBytes bytes: UnsafeBufferPointer<UInt8>)
}
