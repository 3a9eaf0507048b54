import SalvageCore
import Testing

@Suite struct ShellQuotingTests {
  @Test func plainWordsStayBareAndOthersAreSingleQuoted() {
    #expect(
      ShellQuoting.line(["temporal", "--query", "A = 'x' AND B = 'y'", "--reason", "it's done", ""])
        == #"temporal --query 'A = '\''x'\'' AND B = '\''y'\''' --reason 'it'\''s done' ''"#)
  }

  @Test(arguments: ["a b", "it's", "$HOME", "`x`", "a\nb", "*", "\\", "ünï", "a;b"])
  func aQuotedWordReadsBackAsItselfInAShell(word: String) {
    // Single-quoted POSIX words hold everything literally except ', which is closed, escaped, reopened
    let quoted = ShellQuoting.quote(word)
    #expect(quoted.hasPrefix("'") && quoted.hasSuffix("'"))
    #expect(quoted.dropFirst().dropLast().replacingOccurrences("'\\''", "'") == word)
  }
}

extension Substring {
  fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
