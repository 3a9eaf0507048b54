/// JSON's number grammar, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, in one place: the
/// tokenizer and ``PlainJSON`` both read numbers by it.
enum JSONNumber {
  /// The offset just past the number that starts at `start` in `bytes`, or nil when no number
  /// starts there.
  static func end(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    var offset = start
    func digits() -> Int {
      let first = offset
      while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
        offset += 1
      }
      return offset - first
    }
    func at(_ byte: UInt8) -> Bool { offset < bytes.count && bytes[offset] == byte }
    if at(UInt8(ascii: "-")) { offset += 1 }
    let leadingZero = at(UInt8(ascii: "0"))
    let integer = digits()
    guard integer > 0, !(leadingZero && integer > 1) else { return nil }
    if at(UInt8(ascii: ".")) {
      offset += 1
      guard digits() > 0 else { return nil }
    }
    if at(UInt8(ascii: "e")) || at(UInt8(ascii: "E")) {
      offset += 1
      if at(UInt8(ascii: "+")) || at(UInt8(ascii: "-")) { offset += 1 }
      guard digits() > 0 else { return nil }
    }
    return offset
  }
}
