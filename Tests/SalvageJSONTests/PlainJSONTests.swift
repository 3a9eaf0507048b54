import SalvageJSON
import Testing

/// The fast path of a search attribute's payload: the plain shapes read straight from the bytes,
/// anything else left to a full JSON decoder.
@Suite struct PlainJSONTests {
  func read(_ text: String) -> PlainJSON? {
    Array(text.utf8).withUnsafeBytes { PlainJSON.read($0) }
  }

  @Test("A string, a list of strings, a Bool, a number and null are read as they are")
  func thePlainShapesAreReadAsTheyAre() {
    // Given the payloads a search attribute almost always has; when each is read; then each value
    #expect(read(#""orders:v2""#) == .string("orders:v2"))
    #expect(read(#""""#) == .string(""))
    #expect(read(#"["a","b"]"#) == .strings(["a", "b"]))
    #expect(read("[]") == .strings([]))
    #expect(read("true") == .bool(true))
    #expect(read("false") == .bool(false))
    #expect(read("-1.5e2") == .number(-150))
    #expect(read("null") == .null)
  }

  @Test(
    "What JSON refuses, and what needs a full decoder, is not read",
    arguments: [
      "nan", "inf", "0x10", "+1", "01", "1.", ".5", "1e", "1e400", #""a\"b""#, #"{"a":1}"#,
      #"[1,2]"#, #" "a""#, #"["a" ,"b"]"#,
    ])
  func whatJSONRefusesOrAFullDecoderNeedsIsNotRead(text: String) {
    // Given bytes that are not one plain JSON value; when they are read; then nothing is read
    #expect(read(text) == nil)
  }

  @Test("Bytes that are not UTF-8 are not read, never repaired")
  func bytesThatAreNotUTF8AreNotRead() {
    // Given a quoted string holding 0xFF; when it is read; then nothing is read
    let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x22]
    #expect(bytes.withUnsafeBytes { PlainJSON.read($0) } == nil)
  }
}
