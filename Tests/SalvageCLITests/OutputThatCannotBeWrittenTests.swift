import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Standard output that cannot be written is an outcome, never a trap: a closed pipe (`| head -1`)
/// stops salvage quietly with exit 141, a full disk is one line and exit 74, and what was journaled
/// before is kept.
@Suite(.tags(.integration)) struct OutputThatCannotBeWrittenTests {
  /// Runs `salvage` with standard output going to `stdout` (a closed pipe, `/dev/full`).
  static func run(
    _ arguments: [String], stdout: Any, environment: [String: String]
  ) throws -> (status: Int32, killedBySignal: Bool, stderr: String) {
    let process = Process()
    process.executableURL = SalvageProcess.executable
    process.arguments = arguments
    process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
    let err = Pipe()
    process.standardOutput = stdout
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, process.terminationReason == .uncaughtSignal,
      String(decoding: stderr, as: UTF8.self)
    )
  }

  /// ``run(_:stdout:environment:)`` on a thread of its own: waiting for the child must not hold
  /// one of the few threads the in-process server answers on (two on a two-core machine).
  static func runAside(
    _ arguments: [String], stdout: Any, environment: [String: String]
  ) async throws -> (status: Int32, killedBySignal: Bool, stderr: String) {
    nonisolated(unsafe) let stdout = stdout
    return try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread {
        continuation.resume(
          with: Result { try run(arguments, stdout: stdout, environment: environment) })
      }
    }
  }

  /// A pipe nobody reads from any more: its reader ended, as `head -1` does after one line.
  static func closedPipe() throws -> Pipe {
    let pipe = Pipe()
    try pipe.fileHandleForReading.close()
    return pipe
  }

  @Test func aRunWhoseOutputPipeClosedStopsQuietlyWithExit141AndKeepsItsJournal() async throws {
    // Given a server that describes the deployment (v2, the bad build, is Current) and refuses
    // every change, and an incident
    let server = try await EchoingTemporalServer(
      answering: ["DescribeWorkerDeployment": try SecretsInTheJournalTests.badIsCurrent()])
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When a run's standard output is a pipe whose reader has gone (`salvage run --yes | head -1`)
    let result = try await Self.runAside(
      ["run", "--yes", "--address", "127.0.0.1:\(server.port)", "--tls", "false"],
      stdout: try Self.closedPipe(), environment: fixture.environment)
    await server.stop()
    // Then it stops quietly with exit 141, not a trap or a backtrace
    #expect(!result.killedBySignal, "killed by signal \(result.status): \(result.stderr)")
    #expect(result.status == 141, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    // And what it journaled is kept: the journal verifies, the run's lease is in it
    #expect(try await fixture.salvage("verify").status == 0)
    #expect(try await fixture.rawLog().contains(#""type":"LeaseAcquired""#))
  }

  @Test(arguments: [["status"], ["log"], ["export"], ["timeline"], ["config"]])
  func aCommandWhoseOutputPipeClosedStopsQuietlyWithExit141(arguments: [String]) async throws {
    // Given an incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let before = try await fixture.rawLog()
    // When the command's standard output is a pipe whose reader has gone
    let result = try await Self.runAside(
      arguments, stdout: try Self.closedPipe(), environment: fixture.environment)
    // Then it stops quietly with exit 141 (as a shell reports SIGPIPE), and the journal is as it was
    #expect(!result.killedBySignal, "killed by signal \(result.status): \(result.stderr)")
    #expect(result.status == 141, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    #expect(try await fixture.rawLog() == before)
  }

  @Test(arguments: [["status"], ["log"], ["export"], ["timeline"], ["config"]])
  func aCommandWhoseOutputDiskIsFullSaysSoInOneLineWithExit74(arguments: [String]) async throws {
    // Given an incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let before = try await fixture.rawLog()
    // When the command's standard output goes to a full disk (`> /dev/full`)
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    let result = try await Self.runAside(arguments, stdout: full, environment: fixture.environment)
    // Then it says so in one line with exit 74, and the journal is as it was
    #expect(!result.killedBySignal, "killed by signal \(result.status): \(result.stderr)")
    #expect(result.status == 74)
    #expect(
      result.stderr
        == "salvage: cannot write standard output: its disk is full (No space left on device)\n")
    #expect(try await fixture.rawLog() == before)
  }
}
