/// Text from the journal (the server's messages, Workflow Type names, operators' notes) made safe
/// to print: nothing in it can drive a terminal or reorder what a reader sees.
///
/// Escaped are the C0 controls, DEL, the C1 controls (ESC and CSI among them, so no escape
/// sequence stays live) and the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069, the "Trojan Source" characters). Each is shown as Swift writes it,
/// `\u{1b}` (lower-case hex), as `salvage config` already shows control characters. The form is
/// for reading, not reversible: a note that types `\u{1b}` itself shows the same.
enum VisibleText {
  /// Whether `scalar` is shown escaped.
  static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// `text` with every hidden scalar as `\u{…}`. With `keepingLineFeeds`, a line feed stays
  /// (for whole outputs made of lines; a field's own line breaks are flattened before).
  static func escaped(_ text: String, keepingLineFeeds: Bool = false) -> String {
    guard text.unicodeScalars.contains(where: isHidden) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if isHidden(scalar), !(keepingLineFeeds && scalar == "\n") {
        out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// Free text on one line, whole: every line break (`\r\n`, `\r`, `\n`, U+2028…) shown as ` ⏎ `,
  /// so a note cannot print a line that looks like salvage's own.
  static func flat(_ text: String) -> String {
    text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(
      separator: " ⏎ ")
  }

  /// JSON text with DEL, the C1 controls and the bidi controls as `\u00XX` escapes (the encoder
  /// already escapes C0). They can only stand inside strings, so the JSON means exactly the same.
  static func jsonSafe(_ json: String) -> String {
    guard json.unicodeScalars.contains(where: isHidden) else { return json }
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      if isHidden(scalar), scalar.value >= 0x7F {
        let hex = String(scalar.value, radix: 16)
        out.append(
          contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
