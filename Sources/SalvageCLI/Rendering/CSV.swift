import Foundation

/// CSV for spreadsheets and scripts: the timeline's and the compensation list's.
enum CSV {
  /// Rows as RFC 4180 text, CRLF after each row.
  static func document(_ rows: [[String]]) -> String {
    rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
  }

  /// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. Control
  /// characters are escaped (``VisibleText``: a row is always one line). A cell a spreadsheet
  /// would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
  /// quoted with a `'` in front, as OWASP's CSV-injection guidance says, so it stays text.
  static func field(_ text: String) -> String {
    let formula = text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
    let visible = (formula ? "'" : "") + VisibleText.escaped(text)
    guard formula || visible.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else {
      return visible
    }
    return "\"" + visible.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
