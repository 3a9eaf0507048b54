import Foundation

// salvage-build-commit HEAD-FILE COMMON-GIT-DIR OUTPUT: writes `BuildCommit.swift`, the commit
// HEAD names (a detached hash, a loose ref or a packed one); `nil` when there is no git ("-") or
// HEAD cannot be resolved. Run by the BuildCommit plugin, not by hand.
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
  FileHandle.standardError.write(Data("usage: salvage-build-commit HEAD COMMON OUTPUT\n".utf8))
  exit(64)
}

func read(_ path: String) -> String? {
  (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(
    in: .whitespacesAndNewlines)
}

func isHash(_ text: String) -> Bool {
  text.count == 40 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
}

func commit(head: String, common: String) -> String? {
  guard head != "-", let content = read(head) else { return nil }
  guard content.hasPrefix("ref:") else { return isHash(content) ? content : nil }
  let ref = content.dropFirst("ref:".count).trimmingCharacters(in: .whitespaces)
  if let loose = read(common + "/" + ref), isHash(loose) { return loose }
  for line in (read(common + "/packed-refs") ?? "").split(separator: "\n") {
    let parts = line.split(separator: " ", maxSplits: 1)
    if parts.count == 2, parts[1] == ref, isHash(String(parts[0])) { return String(parts[0]) }
  }
  return nil
}

let hash = commit(head: arguments[1], common: arguments[2])
let source = """
  // Written by salvage-build-commit at build time; not in the repository.
  enum BuildCommit {
    /// The commit this build was made from; `nil` outside a git clone.
    static let hash: String? = \(hash.map { "\"\($0)\"" } ?? "nil")
  }

  """
let output = URL(fileURLWithPath: arguments[3])
if (try? String(contentsOf: output, encoding: .utf8)) != source {
  try source.write(to: output, atomically: true, encoding: .utf8)
}
