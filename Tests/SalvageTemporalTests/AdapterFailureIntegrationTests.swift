import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The native client when the server is missing or silent.
@Suite(.tags(.integration)) struct AdapterFailureIntegrationTests {
  func client(port: Int, timeout: Double = 20) throws -> GRPCTemporalClient {
    var timeouts = GRPCTemporalClient.Timeouts()
    timeouts.read = timeout
    return try GRPCTemporalClient.connect(
      GRPCEndpoint(host: "127.0.0.1", port: port, namespace: "default"), timeouts: timeouts)
  }

  @Test func anUnreachableServerIsATypedOneLineError() async throws {
    let port = try LoopbackListener.unusedPort()
    let client = try client(port: port, timeout: 10)
    await #expect {
      _ = try await client.count(.equals(.workflowType, "X"))
    } throws: { error in
      guard let error = error as? TemporalError else { return false }
      switch error {
      case .unreachable, .timedOut, .failed(_, "unavailable", _): return !"\(error)".contains("\n")
      default: return false
      }
    }
  }

  @Test func aHungCallEndsAtItsDeadlineAndIsReported() async throws {
    // Given a server that accepts connections and never answers
    let listener = try LoopbackListener()
    defer { listener.close() }
    let started = Date()
    // When a call with a 2 s deadline is made, then it is reported as timed out
    await #expect(throws: TemporalError.timedOut(call: "CountWorkflowExecutions", seconds: 2)) {
      _ = try await client(port: listener.port, timeout: 2).count(.equals(.workflowType, "X"))
    }
    #expect(Date().timeIntervalSince(started) < 10)
  }
}

/// A loopback TCP socket that listens and never accepts: connections hang in the backlog.
final class LoopbackListener: @unchecked Sendable {
  let descriptor: Int32
  let port: Int

  init() throws {
    (descriptor, port) = try LoopbackSocket.listen()
  }

  func close() { _ = Glibc.close(descriptor) }

  /// A port nothing listens on (bound, then released).
  static func unusedPort() throws -> Int {
    let listener = try LoopbackListener()
    listener.close()
    return listener.port
  }
}
