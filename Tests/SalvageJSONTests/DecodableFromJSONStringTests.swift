import Foundation
import SalvageJSON
import Testing

/// A value read from a JSON string's bytes, counting how it was read.
private struct Stamp: DecodableFromJSONString, Equatable {
  let text: String
  let fromBytes: Bool

  init(jsonStringBytes bytes: UnsafeBufferPointer<UInt8>) throws {
    guard bytes.first == UInt8(ascii: "T") else { throw PayloadDecoder.Refusal.typeMismatch }
    text = String(decoding: bytes, as: UTF8.self)
    fromBytes = true
  }

  init(from decoder: any Decoder) throws {
    text = try decoder.singleValueContainer().decode(String.self)
    fromBytes = false
  }
}

private struct Holder: Decodable { let at: Stamp }

@Suite struct DecodableFromJSONStringTests {
  @Test func aStringTheTypeReadsFromItsBytesIsBuiltFromThem() throws {
    // Given a payload holding a string the type reads from its bytes
    let json = Data(#"{"at":"T10:00"}"#.utf8)
    // When the reader reads it
    let holder = try PayloadDecoder.decode(Holder.self, from: json, stringValues: [Stamp.self])
    // Then the value was built from the bytes, with the same text
    #expect(holder.at == Stamp(text: "T10:00", fromBytes: true))
  }

  @Test(arguments: [#"{"at":"x10:00"}"#, #"{"at":"T\u0031"}"#])
  func aStringTheTypeRefusesOrAnEscapedOneIsReadThroughDecodable(json: String) throws {
    // Given a string the type refuses from its bytes, or one holding an escape
    // When the reader reads it
    let holder = try PayloadDecoder.decode(
      Holder.self, from: Data(json.utf8), stringValues: [Stamp.self])
    // Then its Decodable path read it, unescaped
    #expect(holder.at.fromBytes == false)
    #expect(holder.at.text == (json.contains("x") ? "x10:00" : "T1"))
  }
}

extension Stamp {
  fileprivate init(text: String, fromBytes: Bool) {
    self.text = text
    self.fromBytes = fromBytes
  }
}
