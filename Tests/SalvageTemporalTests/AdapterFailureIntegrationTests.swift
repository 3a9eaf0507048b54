import Foundation
import SalvageCore
import SalvageTemporal
import SalvageTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real `temporal` CLI when the server is missing, silent, or the CLI itself is missing.
@Suite(.tags(.integration)) struct AdapterFailureIntegrationTests {
  static let temporal = Scenario.root.appendingPathComponent(".venv/bin/temporal").path

  func client(_ address: String, executable: String = temporal, timeout: Double = 20) -> ProcessTemporalClient {
    var connection = TemporalConnection(executable: executable, address: address, namespace: "default")
    connection.isolated = true
    var timeouts = ProcessTemporalClient.Timeouts()
    timeouts.read = timeout
    return ProcessTemporalClient(connection: connection, timeouts: timeouts)
  }

  @Test func anUnreachableServerIsATypedOneLineError() throws {
    let port = try LoopbackListener.unusedPort()
    #expect {
      _ = try client("127.0.0.1:\(port)").count(.equals(.workflowType, "X"))
    } throws: { error in
      guard case .unreachable(let message)? = error as? TemporalError else { return false }
      return message.contains("127.0.0.1:\(port)") && !error.localizedDescription.isEmpty
        && !"\(error)".contains("\n")
    }
  }

  @Test func aMissingTemporalCLIIsNamed() {
    #expect(throws: TemporalError.executableNotFound("temporal-not-installed")) {
      _ = try client("127.0.0.1:7233", executable: "temporal-not-installed").count(.equals(.workflowType, "X"))
    }
  }

  @Test func aHungCallIsKilledAtItsTimeoutAndReported() throws {
    // Given a server that accepts connections and never answers
    let listener = try LoopbackListener()
    defer { listener.close() }
    let started = Date()
    // When a call with a 2 s timeout is made, then it is killed and reported as timed out
    #expect(throws: TemporalError.timedOut(command: "temporal workflow count", seconds: 2)) {
      _ = try client("127.0.0.1:\(listener.port)", timeout: 2).count(.equals(.workflowType, "X"))
    }
    #expect(Date().timeIntervalSince(started) < 7)  // the CLI alone would wait about 8 s
  }
}

/// A loopback TCP socket that listens and never accepts: connections hang in the backlog.
final class LoopbackListener: @unchecked Sendable {
  let descriptor: Int32
  let port: Int

  init() throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    descriptor = fd
    port = Int(UInt16(bigEndian: address.sin_port))
  }

  func close() { _ = Glibc.close(descriptor) }

  /// A port nothing listens on (bound, then released).
  static func unusedPort() throws -> Int {
    let listener = try LoopbackListener()
    listener.close()
    return listener.port
  }
}
