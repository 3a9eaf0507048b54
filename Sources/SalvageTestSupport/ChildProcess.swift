public import Foundation

/// What a finished child process printed and how it ended.
public struct ChildProcessResult: Sendable {
  public let status: Int32
  /// True when a signal ended the process (`status` is then the signal number).
  public let killedBySignal: Bool
  public let stdout: String
  public let stderr: String
}

/// Runs a program to completion with stdin from /dev/null, reading both pipes to the end before
/// waiting (so large output cannot deadlock, unlike a wait-first helper).
public func runChildProcess(
  _ executable: URL, _ arguments: [String], environment: [String: String]? = nil
) throws -> ChildProcessResult {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  if let environment { process.environment = environment }
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
  return ChildProcessResult(
    status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
    stdout: String(decoding: stdout, as: UTF8.self),
    stderr: String(decoding: errBox.data, as: UTF8.self))
}

/// Written by one thread before `DispatchGroup.wait()` returns on another: the group orders them.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}
