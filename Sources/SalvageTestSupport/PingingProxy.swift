import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A loopback TCP proxy in front of a plaintext gRPC server that sends the client an HTTP/2 PING
/// before each request body it passes on, as a grpc-go server (Temporal's frontend) does: its
/// flow-control estimate (BDP) pings the client whenever a DATA frame arrives and none of its
/// pings is outstanding, so a busy client gets about one PING per call.
///
/// It reads the HTTP/2 frames both ways and writes whole frames only, so a PING never splits
/// another frame. The client's acknowledgements of its PINGs are not passed on.
public final class PingingProxy: Sendable {
  /// The loopback port clients connect to.
  public let port: Int
  private let listener: Int32
  private let upstreamPort: Int
  private let state = Mutex(State())

  private struct State {
    var sockets: [Int32] = []
    var pings = 0
    var connections = 0
    var stopped = false
  }

  /// The payload of the proxy's own PINGs (the client acknowledges with the same bytes).
  private static let marker: [UInt8] = Array("salvage!".utf8)
  private static let preface = 24

  public init(upstreamPort: Int) throws {
    self.upstreamPort = upstreamPort
    let (fd, port) = try LoopbackSocket.listen()
    listener = fd
    self.port = port
    Thread { [self] in accepting() }.start()
  }

  deinit { stop() }

  /// PINGs sent to clients so far.
  public var pings: Int { state.withLock { $0.pings } }

  /// Connections clients opened so far.
  public var connections: Int { state.withLock { $0.connections } }

  /// Stops listening and cuts every connection.
  public func stop() {
    let sockets = state.withLock { state -> [Int32] in
      guard !state.stopped else { return [] }
      state.stopped = true
      return state.sockets
    }
    _ = shutdown(listener, Int32(SHUT_RDWR))
    _ = Glibc.close(listener)
    for socket in sockets { _ = shutdown(socket, Int32(SHUT_RDWR)) }
  }

  private func accepting() {
    while true {
      let client = accept(listener, nil, nil)
      guard client >= 0 else { return }
      let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = Self.loopback(port: upstreamPort)
      let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      let stopped = state.withLock { state -> Bool in
        state.sockets += [client, server]
        if connected == 0 { state.connections += 1 }
        return state.stopped
      }
      guard connected == 0, !stopped else {
        _ = Glibc.close(client)
        _ = Glibc.close(server)
        continue
      }
      let toClient = NSLock()
      Thread { [self] in upward(from: client, to: server, toClient: toClient) }.start()
      Thread { [self] in downward(from: server, to: client, toClient: toClient) }.start()
    }
  }

  /// Client to server: a PING to the client before each request body, the client's
  /// acknowledgements of those PINGs dropped.
  private func upward(from client: Int32, to server: Int32, toClient: NSLock) {
    defer { Self.cut(client, server) }
    guard let preface = Self.read(client, count: Self.preface), Self.write(server, preface)
    else { return }
    while let frame = Self.frame(from: client) {
      let (type, flags) = (frame[3], frame[4])
      if type == 6, flags & 1 == 1, Array(frame[9...]) == Self.marker { continue }
      if type == 0, frame.count > 9 {
        let ping: [UInt8] = [0, 0, 8, 6, 0, 0, 0, 0, 0] + Self.marker
        guard toClient.withLock({ Self.write(client, ping) }) else { return }
        state.withLock { $0.pings += 1 }
      }
      guard Self.write(server, frame) else { return }
    }
  }

  /// Server to client: whole frames, never split by a PING.
  private func downward(from server: Int32, to client: Int32, toClient: NSLock) {
    defer { Self.cut(client, server) }
    while let frame = Self.frame(from: server) {
      guard toClient.withLock({ Self.write(client, frame) }) else { return }
    }
  }

  private static func cut(_ sockets: Int32...) {
    for socket in sockets { _ = shutdown(socket, Int32(SHUT_RDWR)) }
  }

  /// One HTTP/2 frame: its 9-byte header and its payload.
  private static func frame(from socket: Int32) -> [UInt8]? {
    guard let header = read(socket, count: 9) else { return nil }
    let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
    guard let payload = read(socket, count: length) else { return nil }
    return header + payload
  }

  private static func read(_ socket: Int32, count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var done = 0
    while done < count {
      let got = bytes.withUnsafeMutableBytes {
        Glibc.read(socket, $0.baseAddress.map { $0 + done }, count - done)
      }
      guard got > 0 else { return nil }
      done += got
    }
    return bytes
  }

  private static func write(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
    LoopbackSocket.send(bytes, on: socket)
  }

  private static func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return address
  }
}
