import Foundation

/// SplitMix64: a tiny seeded generator, so a failing input is found again from its seed.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Structured mutations of valid inputs, plus random bytes: what a corrupted file, a hostile
/// server or a typo produces.
struct Mutator {
  var random: SeededGenerator

  /// Tokens that JSON readers get wrong: structure, escapes, numbers at the edges, depth.
  static let tokens: [String] = [
    "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u0000", "\\ud800", "\\uDFFF", "\\\"", "null",
    "true", "false",
    "0", "-0", "1e400", "-1e400", "1e-400", "9223372036854775808", "-9223372036854775809",
    "1.7976931348623157e309",
    "NaN", "Infinity", "0x10", "01", "1.", ".5", "1e", "\u{0}", "\u{7F}", "\u{FEFF}", "\u{10FFFF}",
    "\n", "\r\n", "\t",
    String(repeating: "[", count: 70), String(repeating: "{\"a\":", count: 70),
    String(repeating: "9", count: 400),
    String(repeating: "x", count: 5000), "\"\":", "{}", "[]", "\"v2\"", "\"kind\":\"event\"",
  ]

  init(seed: UInt64) { random = SeededGenerator(state: seed) }

  mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }

  /// `count` random bytes, biased to JSON's alphabet half the time.
  mutating func bytes(_ count: Int) -> [UInt8] {
    let alphabet = Array("{}[]\":,\\ 0123456789.-+eEtruefalsn\n".utf8)
    let biased = Bool.random(using: &random)
    return (0..<count).map { _ in
      biased ? alphabet[int(0..<alphabet.count)] : UInt8.random(in: 0...255, using: &random)
    }
  }

  /// One to eight edits of `input`, or (one time in ten) bytes with no structure at all.
  mutating func mutate(_ input: [UInt8]) -> [UInt8] {
    if int(0..<10) == 0 { return bytes(int(0..<200)) }
    var out = input
    for _ in 0..<int(1..<9) {
      let at = out.isEmpty ? 0 : int(0..<out.count + 1)
      switch int(0..<8) {
      case 0 where !out.isEmpty:  // flip a bit
        let index = min(at, out.count - 1)
        out[index] ^= UInt8(1 << int(0..<8))
      case 1:  // insert random bytes
        out.insert(contentsOf: bytes(int(1..<8)), at: at)
      case 2 where !out.isEmpty:  // delete a range
        let end = min(out.count, at + int(1..<32))
        out.removeSubrange(min(at, end)..<end)
      case 3 where !out.isEmpty:  // duplicate a range
        let end = min(out.count, at + int(1..<64))
        out.insert(contentsOf: out[min(at, end)..<end], at: int(0..<out.count + 1))
      case 4:  // cut short
        out.removeSubrange(min(at, out.count)..<out.count)
      case 5, 6:  // insert a hard token
        out.insert(contentsOf: Array(Self.tokens[int(0..<Self.tokens.count)].utf8), at: at)
      default:  // overwrite a byte with one of JSON's structural bytes
        guard !out.isEmpty else { continue }
        out[min(at, out.count - 1)] = Array("{}[]\":,\\".utf8)[int(0..<8)]
      }
    }
    return out
  }
}
