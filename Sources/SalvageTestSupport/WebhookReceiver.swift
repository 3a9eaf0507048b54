public import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A webhook on a free loopback port, as a chat service's incoming webhook would be: it takes
/// HTTP/1.1 POSTs, records each one's path and body, and answers as told: 200, an error status,
/// or only after a pause (a slow receiver). One thread per connection; every answer closes it.
public final class WebhookReceiver: Sendable {
  /// How it answers.
  public enum Answer: Sendable {
    /// 200 at once.
    case ok
    /// This status at once (500, say).
    case status(Int)
    /// 200 after this many seconds.
    case slow(seconds: Double)
    /// This status for the first `count` posts, then 200.
    case failingFirst(count: Int, status: Int)
  }

  /// A request as it arrived.
  public struct Request: Sendable {
    public let path: String
    public let contentType: String?
    public let body: Data
    /// The status it was answered with (or was to be, for a slow answer the client gave up on).
    public let status: Int
    /// The body as JSON, when it is an object.
    public var json: [String: Any]? {
      (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
  }

  /// The loopback port it listens on.
  public let port: Int
  private let listener: Int32
  private let answer: Answer
  private let state = Mutex(State())

  private struct State {
    var requests: [Request] = []
    var sockets: [Int32] = []
    var stopped = false
  }

  public init(answering answer: Answer = .ok) throws {
    self.answer = answer
    let (fd, port) = try LoopbackSocket.listen()
    listener = fd
    self.port = port
    Thread { [self] in accepting() }.start()
  }

  deinit { stop() }

  /// A webhook address on this receiver, with a path that looks like a Slack token.
  public func url(token: String = "T0SALVAGE/B0SALVAGE/hushHushWebhookToken42") -> String {
    "http://127.0.0.1:\(port)/services/\(token)"
  }

  /// Every request so far, in the order they arrived.
  public var requests: [Request] { state.withLock { $0.requests } }

  /// The bodies answered with a 2xx, in order: what the channel would show.
  public var delivered: [Data] {
    requests.filter { (200..<300).contains($0.status) }.map(\.body)
  }

  /// A loopback port with nothing listening on it: a receiver that is down.
  public static func downPort() throws -> Int {
    let (fd, port) = try LoopbackSocket.listen()
    _ = Glibc.close(fd)
    return port
  }

  /// Stops listening and cuts every connection still open. Under the lock, as a connection is
  /// closed: a number in `sockets` is always one of this receiver's, never a number reused since.
  public func stop() {
    let stopping = state.withLock { state -> Bool in
      guard !state.stopped else { return false }
      state.stopped = true
      for socket in state.sockets { _ = shutdown(socket, Int32(SHUT_RDWR)) }
      return true
    }
    guard stopping else { return }
    _ = shutdown(listener, Int32(SHUT_RDWR))
    _ = Glibc.close(listener)
  }

  private func accepting() {
    while true {
      let client = accept(listener, nil, nil)
      guard client >= 0 else { return }
      let stopped = state.withLock { state -> Bool in
        if !state.stopped { state.sockets.append(client) }
        return state.stopped
      }
      guard !stopped else {
        _ = Glibc.close(client)
        continue
      }
      Thread { [self] in serve(client) }.start()
    }
  }

  private func serve(_ client: Int32) {
    defer {
      state.withLock { state in
        state.sockets.removeAll { $0 == client }
        _ = shutdown(client, Int32(SHUT_RDWR))
        _ = Glibc.close(client)
      }
    }
    guard let (head, body) = Self.readRequest(client) else { return }
    let lines = head.components(separatedBy: "\r\n")
    let path = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? ""
    let contentType = Self.header("content-type", in: lines)
    let status = state.withLock { state -> Int in
      let status = Self.status(answer, after: state.requests.count)
      state.requests.append(
        Request(path: path, contentType: contentType, body: body, status: status))
      return status
    }
    if case .slow(let seconds) = answer { Thread.sleep(forTimeInterval: seconds) }
    let reply = "HTTP/1.1 \(status) X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
    _ = Self.write(client, Array(reply.utf8))
  }

  private static func status(_ answer: Answer, after earlier: Int) -> Int {
    switch answer {
    case .ok, .slow: 200
    case .status(let status): status
    case .failingFirst(let count, let status): earlier < count ? status : 200
    }
  }

  private static func header(_ name: String, in lines: [String]) -> String? {
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      if line[..<colon].lowercased() == name {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return nil
  }

  /// The request's head and its body (by `Content-Length`).
  private static func readRequest(_ socket: Int32) -> (String, Data)? {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    var headEnd: Int?
    var length = 0
    while true {
      if let end = headEnd, bytes.count >= end + length {
        let head = String(decoding: bytes[..<end], as: UTF8.self)
        return (head, Data(bytes[end..<(end + length)]))
      }
      let got = buffer.withUnsafeMutableBytes { Glibc.read(socket, $0.baseAddress, 4096) }
      guard got > 0 else { return nil }
      bytes += buffer[..<got]
      if headEnd == nil, let range = findHeadEnd(bytes) {
        headEnd = range
        let head = String(decoding: bytes[..<range], as: UTF8.self)
        length = Int(header("content-length", in: head.components(separatedBy: "\r\n")) ?? "") ?? 0
      }
    }
  }

  /// The index just past the blank line that ends the head.
  private static func findHeadEnd(_ bytes: [UInt8]) -> Int? {
    let marker: [UInt8] = [13, 10, 13, 10]
    guard bytes.count >= 4 else { return nil }
    for start in 0...(bytes.count - 4) where Array(bytes[start..<(start + 4)]) == marker {
      return start + 4
    }
    return nil
  }

  private static func write(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
    LoopbackSocket.send(bytes, on: socket)
  }
}
