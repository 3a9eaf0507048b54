import Foundation

/// Masks every secret of the connection in any text the server or a subprocess returns, in each
/// form a message can carry it: plain, base64 (standard and URL-safe, with or without padding,
/// and inside a longer base64 text such as `Basic base64(user:secret)`), percent-encoded (either
/// hex case, `+` for a space) and JSON-quoted (Foundation's and Go's escaping).
///
/// Secrets of any length count, one character included: a short secret masks every place its
/// characters appear in server text, which can make a message hard to read, but never lets the
/// secret through. Only server text is scrubbed, never salvage's own words around it, and never
/// identifiers salvage sends back to the server (a masked workflow id would act on nothing).
public struct SecretScrubber: Sendable {
  /// What stands in for a secret.
  public static let mask = "<redacted>"

  /// Every form of every secret, as UTF-8.
  let forms: [[UInt8]]

  public init(secrets: [String]) {
    var forms = Set<String>()
    for secret in secrets.flatMap(Self.withPEMBody) where !secret.isEmpty {
      forms.insert(secret)
      forms.formUnion(Self.base64Forms(Array(secret.utf8)))
      forms.formUnion(Self.percentForms(secret))
      forms.formUnion(Self.jsonForms(secret))
    }
    self.forms = forms.filter { !$0.isEmpty }.sorted().map { Array($0.utf8) }
  }

  /// `text` with every form of every secret masked.
  ///
  /// Matches are found in the original text, all at once, and overlapping or touching ones
  /// become one mask: masking form by form would let a short secret match inside a mask already
  /// written (a secret `e` inside `<redacted>`). Matching is on UTF-8 bytes, so a match always
  /// starts and ends on a scalar boundary.
  public func scrub(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var masked: [Range<Int>] = []
    for form in forms where form.count <= bytes.count {
      let first = form[0]
      var start = 0
      while start <= bytes.count - form.count {
        if bytes[start] == first, bytes[start..<(start + form.count)].elementsEqual(form) {
          masked.append(start..<(start + form.count))
        }
        start += 1
      }
    }
    guard !masked.isEmpty else { return text }
    masked.sort { $0.lowerBound < $1.lowerBound }
    var out: [UInt8] = []
    var next = 0
    var index = 0
    while index < masked.count {
      var range = masked[index]
      while index + 1 < masked.count, masked[index + 1].lowerBound <= range.upperBound {
        index += 1
        range = range.lowerBound..<max(range.upperBound, masked[index].upperBound)
      }
      out += bytes[next..<range.lowerBound]
      out += Array(Self.mask.utf8)
      next = range.upperBound
      index += 1
    }
    out += bytes[next...]
    return String(decoding: out, as: UTF8.self)
  }

  /// `text`, or `nil`, scrubbed.
  func scrub(_ text: String?) -> String? { text.map { scrub($0) } }

  /// A PEM block with its base64 body (on one line) and each body line: a message quoting the
  /// key would show those, not the armour.
  static func withPEMBody(_ secret: String) -> [String] {
    guard secret.contains("-----BEGIN") else { return [secret] }
    let lines = secret.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
      .map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("-----") && !$0.contains(":") }
    return [secret, lines.joined()] + lines
  }

  /// Base64 of the secret in both alphabets, padded or not, and the part that stays the same
  /// whatever precedes it in a longer encoded text (the secret starting 1 or 2 bytes into a
  /// 3-byte group; empty, so skipped, for a secret too short to fill one whole group there).
  static func base64Forms(_ bytes: [UInt8]) -> [String] {
    var encodings = [Data(bytes).base64EncodedString()]
    for skip in 1...2 where bytes.count > skip {
      let whole = (bytes.count - skip) / 3 * 3
      if whole > 0 { encodings.append(Data(bytes[skip..<(skip + whole)]).base64EncodedString()) }
    }
    if bytes.count >= 3 {  // the aligned start with its last, partial group left off
      let whole = bytes.count / 3 * 3
      encodings.append(Data(bytes[0..<whole]).base64EncodedString())
    }
    var forms: [String] = []
    for encoded in encodings {
      let urlSafe = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(
        of: "/", with: "_")
      for form in [encoded, urlSafe] {
        forms.append(form)
        forms.append(form.replacingOccurrences(of: "=", with: ""))
      }
    }
    return forms
  }

  /// Percent-encodings: everything but letters and digits, or only what a query must escape;
  /// upper- or lower-case hex; a space as `%20` or as `+` (form encoding).
  static func percentForms(_ secret: String) -> [String] {
    var forms: [String] = []
    for allowed in [CharacterSet.alphanumerics, .urlQueryAllowed, .urlPathAllowed] {
      guard let encoded = secret.addingPercentEncoding(withAllowedCharacters: allowed) else {
        continue
      }
      forms += [
        encoded, lowercasedHex(encoded), encoded.replacingOccurrences(of: "%20", with: "+"),
      ]
    }
    return forms
  }

  /// The secret inside a JSON string: Foundation's escaping (with and without `\/`), Go's
  /// (`<`, `>`, `&`, U+2028 and U+2029 as `\u00XX`), and ASCII-only (`\uXXXX` for the rest).
  static func jsonForms(_ secret: String) -> [String] {
    var forms: [String] = []
    for formatting in [JSONEncoder.OutputFormatting(), .withoutEscapingSlashes] {
      let encoder = JSONEncoder()
      encoder.outputFormatting = formatting
      if let json = try? encoder.encode(secret), let quoted = String(data: json, encoding: .utf8) {
        forms.append(String(quoted.dropFirst().dropLast()))
      }
    }
    return forms + forms.flatMap(escapedForms)
  }

  /// A Foundation-escaped JSON string content as Go and an ASCII-only encoder write it.
  private static func escapedForms(_ foundation: String) -> [String] {
    var go = ""
    var ascii = ""
    for scalar in foundation.unicodeScalars {
      let escaped = String(format: "\\u%04x", scalar.value)
      switch scalar {
      case "<", ">", "&", "\u{2028}", "\u{2029}": go += escaped
      default: go.unicodeScalars.append(scalar)
      }
      if scalar.isASCII {
        ascii.unicodeScalars.append(scalar)
      } else if scalar.value > 0xFFFF {
        let value = scalar.value - 0x10000
        ascii += String(format: "\\u%04x\\u%04x", 0xD800 + (value >> 10), 0xDC00 + (value & 0x3FF))
      } else {
        ascii += escaped
      }
    }
    return [go, ascii, go.uppercasedEscapes, ascii.uppercasedEscapes]
  }

  /// `%2f` for `%2F`: some encoders write lower-case hex.
  private static func lowercasedHex(_ encoded: String) -> String {
    var out = ""
    var remaining = 0
    for character in encoded {
      if character == "%" {
        remaining = 2
        out.append(character)
      } else if remaining > 0 {
        remaining -= 1
        out += character.lowercased()
      } else {
        out.append(character)
      }
    }
    return out
  }
}

extension String {
  /// `\u00E9` for `\u00e9`: the hex digits of `\u` escapes in upper case.
  fileprivate var uppercasedEscapes: String {
    var out = ""
    var remaining = 0
    var previous: Character?
    for character in self {
      if previous == "\\" && character == "u" {
        remaining = 4
        out.append(character)
      } else if remaining > 0 {
        remaining -= 1
        out += character.uppercased()
      } else {
        out.append(character)
      }
      previous = character
    }
    return out
  }
}
