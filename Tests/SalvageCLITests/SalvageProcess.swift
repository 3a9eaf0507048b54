import Foundation
import SalvageFakes
import SalvageTestSupport

/// Runs the built `salvage` executable, as an operator would.
struct SalvageProcess {
  struct Result {
    let status: Int32
    /// True when a signal ended the process (`status` is then the signal number).
    let killedBySignal: Bool
    let stdout: String
    let stderr: String
  }

  /// The executable `swift build` put beside this test bundle (or `SALVAGE_BINARY`).
  static let executable: URL = {
    if let path = ProcessInfo.processInfo.environment["SALVAGE_BINARY"] {
      return URL(fileURLWithPath: path)
    }
    var directory = Bundle.main.bundleURL
    for _ in 0..<3 {
      let candidate = directory.appendingPathComponent("salvage")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      directory.deleteLastPathComponent()
    }
    return Bundle.main.bundleURL.appendingPathComponent("salvage")
  }()

  /// Runs `salvage arguments…` with only the given environment (plus PATH).
  static func run(_ arguments: [String], environment: [String: String] = [:]) async throws
    -> Result
  {
    var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    env.merge(environment) { $1 }
    let result = try await runChildProcess(executable, arguments, environment: env)
    return Result(
      status: result.status, killedBySignal: result.killedBySignal, stdout: result.stdout,
      stderr: result.stderr)
  }
}
