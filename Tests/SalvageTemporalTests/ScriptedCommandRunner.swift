import Foundation
import SalvageTemporal

/// A ``CommandRunner`` that answers from captured fixtures and records every argv it was given.
final class ScriptedCommandRunner: CommandRunner, @unchecked Sendable {
  /// One canned answer: matched when every `contains` word is in the argv.
  struct Answer {
    let contains: [String]
    let output: CommandOutput
  }

  private let lock = NSLock()
  private var answers: [Answer] = []
  private var calls: [[String]] = []

  /// Answers the next matching call with a fixture's bytes as stdout (or stderr with `status`).
  func answer(_ words: [String], fixture: String, status: Int32 = 0) {
    let data = Fixtures.data(fixture)
    let output =
      status == 0
      ? CommandOutput(status: 0, stdout: data, stderr: Data())
      : CommandOutput(status: status, stdout: Data(), stderr: data)
    lock.withLock { answers.append(Answer(contains: words, output: output)) }
  }

  /// Answers the next call with a failure printing `text` on stderr.
  func answerStderr(_ text: String, status: Int32 = 1) {
    let output = CommandOutput(status: status, stdout: Data(), stderr: Data(text.utf8))
    lock.withLock { answers.append(Answer(contains: [], output: output)) }
  }

  var recorded: [[String]] { lock.withLock { calls } }

  func run(_ arguments: [String], timeout: Double) throws -> CommandOutput {
    lock.withLock {
      calls.append(arguments)
      guard let index = answers.firstIndex(where: { $0.contains.allSatisfy(arguments.contains) }) else {
        return CommandOutput(status: 99, stdout: Data(), stderr: Data("Error: unscripted \(arguments)".utf8))
      }
      return answers.remove(at: index).output
    }
  }

  func stream(_ arguments: [String], timeout: Double, line: (Data) throws -> Void) throws -> CommandOutput {
    let output = try run(arguments, timeout: timeout)
    for piece in output.stdout.split(separator: 0x0A) where !piece.isEmpty { try line(Data(piece)) }
    return CommandOutput(status: output.status, stdout: Data(), stderr: output.stderr)
  }
}

/// The JSON captured from a real server by tools/capture-fixtures.sh.
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func data(_ name: String) -> Data {
    (try? Data(contentsOf: directory.appendingPathComponent(name))) ?? Data("missing fixture \(name)".utf8)
  }
}
