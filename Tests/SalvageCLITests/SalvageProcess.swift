import Foundation

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

  /// Runs `salvage arguments…` with only the given environment (plus PATH), reading both pipes
  /// to the end before waiting, so large output cannot deadlock.
  static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Drain stderr on another thread while this one drains stdout.
    let errBox = DataBox()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) {
      errBox.data = err.fileHandleForReading.readDataToEndOfFile()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus,
      killedBySignal: process.terminationReason == .uncaughtSignal, stdout: String(decoding: stdout, as: UTF8.self),
      stderr: String(decoding: errBox.data, as: UTF8.self))
  }
}

/// Written by one thread, read after `DispatchGroup.wait()`: the group orders the accesses.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}
