public import Foundation

/// What one finished command printed and how it exited.
public struct CommandOutput: Equatable, Sendable {
  public let status: Int32
  /// Standard output, unless it was streamed line by line (then empty).
  public let stdout: Data
  public let stderr: Data
  /// True when output went past its limit and the rest was dropped.
  public let truncated: Bool

  public init(status: Int32, stdout: Data, stderr: Data, truncated: Bool = false) {
    self.status = status
    self.stdout = stdout
    self.stderr = stderr
    self.truncated = truncated
  }

  /// The first non-empty line of stderr, without the CLI's `Error: ` prefix.
  public var firstErrorLine: String {
    let text = String(decoding: stderr, as: UTF8.self)
    let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) }
    var result = line.map(String.init) ?? "(no message)"
    if result.hasPrefix("Error: ") { result.removeFirst(7) }
    return result
  }
}

/// Runs one program with arguments (argv only: never a shell), with a timeout.
///
/// The seam under ``ProcessTemporalClient``: tests give it canned output, the live one runs
/// processes.
public protocol CommandRunner: Sendable {
  /// Runs `arguments` (the first is the program) and collects both outputs.
  func run(_ arguments: [String], timeout: Double) throws -> CommandOutput
  /// Runs `arguments`, handing each stdout line to `line` as it arrives; stdout is not kept.
  func stream(_ arguments: [String], timeout: Double, line: (Data) throws -> Void) throws
    -> CommandOutput
}
