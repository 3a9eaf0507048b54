public import Foundation

/// A strict, fast `Decoder` for the journal's own payload JSON.
///
/// Foundation's `JSONDecoder` spends about 3 µs on a four-field payload, which makes it the whole
/// cost of replaying a long journal. This reader tokenizes the bytes once into a flat array (each
/// value knows where the next one starts) and decodes straight from it. It accepts only what
/// Foundation accepts; anything it does not expect (and every error) is a ``Refusal``, on which
/// the caller falls back to `JSONDecoder`, so errors read exactly as before.
public enum PayloadDecoder {
  /// Decodes `type` from JSON bytes, or throws a ``Refusal`` when they are not what this reader
  /// expects.
  public static func decode<T: Decodable>(
    _ type: T.Type, from data: Data, stringValues: [any DecodableFromJSONString.Type] = []
  ) throws -> T {
    try data.withUnsafeBytes { try decode(type, from: $0, stringValues: stringValues) }
  }

  /// Decodes `type` from JSON bytes borrowed for the call (a column SQLite still holds, say),
  /// reading the `stringValues` types straight from their strings' bytes.
  public static func decode<T: Decodable>(
    _ type: T.Type, from raw: UnsafeRawBufferPointer,
    stringValues: [any DecodableFromJSONString.Type] = []
  ) throws -> T {
    let bytes = raw.bindMemory(to: UInt8.self)
    var tokenizer = Tokenizer(bytes: bytes)
    let tokens = try tokenizer.tokenize()
    return try T(from: Reader(bytes: bytes, tokens: tokens, stringValues: stringValues))
  }

  /// Tokenizes JSON bytes once and hands the tokens to `body`, for readers that pick a few
  /// members out of a large document without a `Decodable` type for all of it.
  public static func withDocument<R>(_ data: Data, _ body: (Document) throws -> R) throws -> R {
    try data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      var tokenizer = Tokenizer(bytes: bytes)
      let tokens = try tokenizer.tokenize()
      return try body(Document(reader: Reader(bytes: bytes, tokens: tokens)))
    }
  }

  /// A tokenized document, valid only inside ``withDocument(_:_:)``. Values are named by token
  /// index; the root is 0.
  public struct Document {
    let reader: Reader

    /// The value of member `name` of the object at `object`; `nil` when absent or not an object.
    public func member(_ name: String, of object: Int = 0) -> Int? {
      guard reader.tokens[object].kind == .object else { return nil }
      return Keyed<AnyKey>(reader: reader, object: object).find(AnyKey(stringValue: name))
    }
  }

  struct AnyKey: CodingKey {
    let stringValue: String
    init(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
  }

  /// Why the fast reader refused the bytes; callers fall back to `JSONDecoder` for the message.
  public enum Refusal: Error, Equatable, Sendable {
    /// Not JSON as this reader reads it: a syntax error, a bad escape, nesting over 64 deep.
    case malformed
    /// A string whose bytes are not UTF-8.
    case invalidUTF8
    /// A value of another kind than the type asks for, or a number out of its type's range.
    case typeMismatch
    /// A member (or an array element) that the type reads is absent.
    case missingKey
    /// What no payload does: a super decoder.
    case unsupported
  }

}
