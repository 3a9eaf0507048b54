/// A value stored as one JSON string that the reader builds straight from the string's bytes, with
/// no `String` made on the way (a time read back for every event of a replay).
///
/// ``PayloadDecoder`` reads the types its caller names this way; when the initializer throws (an
/// escaped string, a form it does not write), the `Decodable` path reads it.
public protocol DecodableFromJSONString: Decodable, SendableMetatype {
  /// The value for the UTF-8 bytes between the quotes; throws to leave it to `Decodable`.
  ///
  /// It throws rather than returning an optional: a generic reader holding a `Self?` asks the
  /// runtime for the optional's metadata on every call, about 500 instructions per stored time
  /// (callgrind, a replay of 100,000 events).
  init(jsonStringBytes bytes: UnsafeBufferPointer<UInt8>) throws
}
