public import Foundation
import SalvageCore

#if canImport(Glibc)
  import Glibc
#endif

/// Runs programs with Foundation's `Process`: argv only, stdin from /dev/null, both outputs read
/// to the end with limits, and a timeout after which the program is sent SIGTERM, then SIGKILL.
public struct ProcessCommandRunner: CommandRunner {
  /// The environment for children; `nil` inherits this process's (so `TEMPORAL_*` pass through).
  public var environment: [String: String]?
  /// Bytes of stdout kept by ``run(_:timeout:)``; past it the rest is read and dropped.
  public var stdoutLimit = 256 << 20
  /// Bytes of stderr kept.
  public var stderrLimit = 64 << 10
  /// Bytes in one streamed line before it is cut.
  public var lineLimit = 16 << 20

  public init(environment: [String: String]? = nil) {
    self.environment = environment
  }

  public func run(_ arguments: [String], timeout: Double) throws -> CommandOutput {
    var stdout = Data()
    var truncated = false
    let limit = stdoutLimit
    let output = try execute(arguments, timeout: timeout) { chunk in
      let room = limit - stdout.count
      if chunk.count > room {
        stdout.append(chunk.prefix(max(room, 0)))
        truncated = true
      } else {
        stdout.append(chunk)
      }
    }
    return CommandOutput(
      status: output.status, stdout: stdout, stderr: output.stderr,
      truncated: truncated || output.truncated)
  }

  public func stream(_ arguments: [String], timeout: Double, line: (Data) throws -> Void) throws
    -> CommandOutput
  {
    var pending = Data()
    let limit = lineLimit
    let output = try execute(arguments, timeout: timeout) { chunk in
      pending.append(chunk)
      // Find every newline with memchr, hand each line over, then drop the consumed bytes once.
      let consumed = try pending.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int in
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start < bytes.count, let found = memchr(base + start, 0x0A, bytes.count - start) {
          let newline = base.distance(to: UnsafeRawPointer(found))
          if newline > start { try line(Data(bytes[start..<newline])) }
          start = newline + 1
        }
        return start
      }
      if consumed > 0 { pending.removeSubrange(pending.startIndex..<(pending.startIndex + consumed)) }
      if pending.count > limit {
        throw TemporalError.unreadableOutput(
          command: Self.display(arguments), reason: "a line is longer than \(limit) bytes")
      }
    }
    if !pending.isEmpty { try line(pending) }
    return output
  }

  /// Starts the program, feeds stdout chunks to `consume` on this thread, and waits.
  private func execute(
    _ arguments: [String], timeout: Double, consume: (Data) throws -> Void
  ) throws -> CommandOutput {
    guard let program = arguments.first else { preconditionFailure("empty argv") }
    let process = Process()
    process.executableURL = try locate(program)
    process.arguments = Array(arguments.dropFirst())
    if let environment { process.environment = environment }
    process.standardInput = FileHandle.nullDevice
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do {
      try process.run()
    } catch {
      throw TemporalError.executableNotFound(program)
    }
    let pid = process.processIdentifier
    let stderr = LimitedBuffer(limit: stderrLimit)
    let readers = DispatchGroup()
    DispatchQueue.global().async(group: readers) {
      let handle = err.fileHandleForReading
      while let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty { stderr.append(chunk) }
    }
    let deadline = Deadline()
    let killer = DispatchWorkItem {
      deadline.expire()
      kill(pid, SIGTERM)
      DispatchQueue.global().asyncAfter(deadline: .now() + 2) { kill(pid, SIGKILL) }
    }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
    var failure: (any Error)?
    let handle = out.fileHandleForReading
    while let chunk = try? handle.read(upToCount: 65_536), !chunk.isEmpty {
      guard failure == nil else { continue }  // keep draining so the child can exit
      do { try consume(chunk) } catch {
        failure = error
        kill(pid, SIGTERM)
      }
    }
    readers.wait()
    process.waitUntilExit()
    killer.cancel()
    if deadline.expired {
      throw TemporalError.timedOut(command: Self.display(arguments), seconds: timeout)
    }
    if let failure { throw failure }
    return CommandOutput(
      status: process.terminationStatus, stdout: Data(), stderr: stderr.data,
      truncated: stderr.truncated)
  }

  /// Finds the program on PATH (or checks the path given), so "not installed" is its own error.
  private func locate(_ program: String) throws -> URL {
    let manager = FileManager.default
    if program.contains("/") {
      guard manager.isExecutableFile(atPath: program) else {
        throw TemporalError.executableNotFound(program)
      }
      return URL(fileURLWithPath: program)
    }
    let path = (environment ?? ProcessInfo.processInfo.environment)["PATH"] ?? ""
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/\(program)"
      if manager.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
    }
    throw TemporalError.executableNotFound(program)
  }

  /// A short form of the command for messages: program and subcommand words, no values.
  static func display(_ arguments: [String]) -> String {
    let words = arguments.dropFirst().prefix { !$0.hasPrefix("-") }
    let name = arguments.first.map { ($0 as NSString).lastPathComponent } ?? "?"
    return ([name] + words).joined(separator: " ")
  }
}

/// Bytes from another thread, kept up to a limit. The lock orders the accesses.
private final class LimitedBuffer: @unchecked Sendable {
  private let lock = NSLock()
  private var storage = Data()
  private var cut = false
  let limit: Int

  init(limit: Int) { self.limit = limit }

  func append(_ chunk: Data) {
    lock.withLock {
      let room = limit - storage.count
      if chunk.count > room {
        storage.append(chunk.prefix(max(room, 0)))
        cut = true
      } else {
        storage.append(chunk)
      }
    }
  }

  var data: Data { lock.withLock { storage } }
  var truncated: Bool { lock.withLock { cut } }
}

/// Set once by the timeout, read after the process ended.
private final class Deadline: @unchecked Sendable {
  private let lock = NSLock()
  private var passed = false
  func expire() { lock.withLock { passed = true } }
  var expired: Bool { lock.withLock { passed } }
}
