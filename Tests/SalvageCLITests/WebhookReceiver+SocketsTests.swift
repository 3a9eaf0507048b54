import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

extension WebhookDeliveryTests {
  /// Posts one request to the receiver on `port` over a plain socket and reads its answer to the
  /// end, then closes the socket.
  static func postOnce(to port: Int) throws {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { _ = Glibc.close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let request = Array(
      "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".utf8)
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, request.count, Int32(MSG_NOSIGNAL)) }
    var buffer = [UInt8](repeating: 0, count: 512)
    while buffer.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress, 512) }) > 0 {}
  }

  @Test("Stopping a receiver leaves alone a socket that took a closed connection's number")
  func stoppingAReceiverLeavesAloneASocketThatTookAClosedConnectionsNumber() async throws {
    // Given a receiver that served one request and closed its connection
    let receiver = try WebhookReceiver()
    defer { receiver.stop() }
    try Self.postOnce(to: receiver.port)
    #expect(receiver.requests.count == 1)
    // (the receiver closes its end just after the answer is read)
    try await Task.sleep(for: .milliseconds(200))
    // When a socket pair takes the numbers freed, and the receiver stops
    var pair: [Int32] = [-1, -1]
    try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
    defer { for fd in pair { _ = Glibc.close(fd) } }
    receiver.stop()
    // Then neither end of the pair was shut down: reading finds no data yet, not the end
    for fd in pair {
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      var byte: UInt8 = 0
      let got = Glibc.read(fd, &byte, 1)
      let why = errno
      #expect(got == -1 && why == EAGAIN, "socket \(fd) read \(got)")
    }
  }
}
