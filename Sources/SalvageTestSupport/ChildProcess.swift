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
///
/// The reads and the wait block, so they run on threads of their own (``offCooperativePool(_:)``),
/// never on one of Swift concurrency's threads (two on a 2-core machine): tests running in parallel
/// with this one keep those threads for their own async calls.
public func runChildProcess(
  _ executable: URL, _ arguments: [String], environment: [String: String]? = nil
) async throws -> ChildProcessResult {
  try await offCooperativePool {
    try runChildProcessBlocking(executable, arguments, environment: environment)
  }
}

/// ``runChildProcess(_:_:environment:)`` on the calling thread, which it blocks until the program
/// ends: only for a thread of its own (a deinit's teardown, say), never a cooperative one.
public func runChildProcessBlocking(
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
  // Drain stderr on a thread of its own while this one drains stdout (not on a Dispatch queue,
  // whose threads a loaded test run can hold).
  let errBox = DataBox()
  let drained = DispatchSemaphore(value: 0)
  Thread {
    errBox.data = err.fileHandleForReading.readDataToEndOfFile()
    drained.signal()
  }.start()
  let stdout = out.fileHandleForReading.readDataToEndOfFile()
  drained.wait()
  process.waitUntilExit()
  return ChildProcessResult(
    status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
    stdout: String(decoding: stdout, as: UTF8.self),
    stderr: String(decoding: errBox.data, as: UTF8.self))
}

/// Runs blocking work (child processes, sleeps, waits) on a thread of its own and awaits its
/// result, so it does not hold one of Swift concurrency's threads while it blocks.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws
  -> T
{
  try await withCheckedThrowingContinuation { continuation in
    Thread { continuation.resume(with: Result { try work() }) }.start()
  }
}

/// Written by one thread before the semaphore it signals lets another read it: the semaphore
/// orders them.
private final class DataBox: @unchecked Sendable {
  var data = Data()
}

extension Process {
  /// `waitUntilExit()` on a thread of its own, awaited, so the wait does not hold one of Swift
  /// concurrency's threads.
  public func exited() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      Thread {
        self.waitUntilExit()
        continuation.resume()
      }.start()
    }
  }
}
