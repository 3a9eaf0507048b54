/// Renders an argv as one line an operator can paste into a POSIX shell and get the same argv.
///
/// salvage itself never runs a shell; this is only how commands are shown (dry runs, the log,
/// the timeline). Words made only of safe characters stay bare; others are single-quoted, with
/// each `'` written as `'\''`.
public enum ShellQuoting {
  public static func line(_ arguments: [String]) -> String {
    arguments.map(quote).joined(separator: " ")
  }

  public static func quote(_ word: String) -> String {
    let safe =
      !word.isEmpty
      && word.unicodeScalars.allSatisfy { scalar in
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", "=", ",", "@", "%", "+": true
        default: false
        }
      }
    return safe
      ? word
      : "'"
        + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''")
        + "'"
  }
}
