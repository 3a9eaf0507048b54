internal import GRPCCore
internal import GRPCNIOTransportHTTP2
import Synchronization

/// The running gRPC connections: they live as long as any copy of the client that uses them.
///
/// Calls go over one HTTP/2 connection at a time, and no connection starts more than
/// ``ConnectionBudget/calls`` calls in ``ConnectionBudget/window``: the next call goes over a
/// fresh connection (made ahead, when three quarters are used, so it is connected by then) and the
/// old one closes once its calls in flight have finished.
///
/// Why: swift-nio-http2 (1.46) closes a connection whose peer sends more than 200 control frames
/// (PING, SETTINGS, ...) in 30 s, one of its defences against a flooding peer that a client of
/// grpc-swift-nio-transport (2.9.2) cannot raise, and a grpc-go server (Temporal's frontend) sends
/// the client a PING whenever a request body arrives and none of its PINGs is outstanding (its
/// flow-control estimate, BDP): about one a call. At salvage's 16 closed-run resets at once the
/// connection was closed every few seconds (GOAWAY ENHANCE_YOUR_CALM from the client after 199
/// PINGs and 2 SETTINGS): every call in flight failed with 'Stream unexpectedly closed.', the
/// server cancelled them ('context canceled'), and each reset among them became a lost answer.
final class ConnectionLifetime: Sendable {
  typealias Transport = HTTP2ClientTransport.Posix

  private let makeTransport: @Sendable () throws -> Transport
  private let state: Mutex<State>

  private struct State {
    var current: Connection
    /// The connection made ahead, for when the current one's budget is spent.
    var next: Connection?
    var budget: ConnectionBudget
    /// Calls in flight, by connection.
    var calls: [ObjectIdentifier: Int] = [:]
    /// Connections no longer given calls: each is closed once its last call has ended (closing
    /// it earlier fails a call that has its client but no HTTP/2 stream yet).
    var retired: [Connection] = []
    var closed = false
  }

  /// `makeTransport` makes each connection's transport; the first is made at once.
  init(
    budget: ConnectionBudget = ConnectionBudget(),
    _ makeTransport: @escaping @Sendable () throws -> Transport
  ) throws {
    self.makeTransport = makeTransport
    state = Mutex(State(current: Connection(try makeTransport()), budget: budget))
  }

  deinit {
    state.withLock { state in
      for connection in [state.current] + (state.next.map { [$0] } ?? []) + state.retired {
        connection.grpc.beginGracefulShutdown()
      }
    }
  }

  /// Runs one call with the client of the connection it is to go on.
  func withConnection<Result: Sendable>(
    _ call: (GRPCClient<Transport>) async throws -> Result
  ) async throws -> Result {
    let connection = start()
    do {
      let result = try await call(connection.grpc)
      end(connection)
      return result
    } catch {
      end(connection)
      throw error
    }
  }

  /// Counts a call against the current connection's budget (moving on to the next connection
  /// when it is spent) and returns the connection the call goes on.
  private func start() -> Connection {
    let now = ContinuousClock.now
    let (connection, idle) = state.withLock { state -> (Connection, Connection?) in
      var idle: Connection?
      if !state.closed {
        switch state.budget.start(at: now) {
        case .current:
          break
        case .currentAndMakeNext:
          if state.next == nil { state.next = try? Connection(makeTransport()) }
        case .next:
          // Making a transport fails only on a bad configuration, which the first one passed:
          // should it fail now, the calls stay on the current connection.
          if let fresh = state.next ?? (try? Connection(makeTransport())) {
            let old = state.current
            state.retired.removeAll(where: \.ended)
            state.retired.append(old)
            if state.calls[old.id, default: 0] == 0 { idle = old }
            state.current = fresh
            state.next = nil
          }
        }
      }
      state.calls[state.current.id, default: 0] += 1
      return (state.current, idle)
    }
    idle?.grpc.beginGracefulShutdown()
    return connection
  }

  /// A call on `connection` ended: a retired connection closes after its last call.
  private func end(_ connection: Connection) {
    let last = state.withLock { state -> Bool in
      let left = state.calls[connection.id, default: 1] - 1
      state.calls[connection.id] = left > 0 ? left : nil
      return left <= 0 && state.retired.contains { $0 === connection }
    }
    if last { connection.grpc.beginGracefulShutdown() }
  }

  /// Lets calls in flight finish, then closes every connection.
  func close() async {
    let all = state.withLock { state -> [Connection] in
      state.closed = true
      return [state.current] + (state.next.map { [$0] } ?? []) + state.retired
    }
    for connection in all { connection.grpc.beginGracefulShutdown() }
    for connection in all { await connection.running.value }
  }

  /// One connection and the task that runs it.
  private final class Connection: Sendable {
    let grpc: GRPCClient<Transport>
    let running: Task<Void, Never>
    private let closed: Closed

    init(_ transport: Transport) {
      let grpc = GRPCClient(transport: transport)
      let closed = Closed()
      self.grpc = grpc
      self.closed = closed
      running = Task {
        try? await grpc.runConnections()
        closed.value.withLock { $0 = true }
      }
    }

    var id: ObjectIdentifier { ObjectIdentifier(self) }

    /// Whether the connection has closed.
    var ended: Bool { closed.value.withLock { $0 } }
  }

  private final class Closed: Sendable {
    let value = Mutex(false)
  }
}

/// How many calls one connection may start in a sliding window before calls move to another.
///
/// A grpc-go server sends at most one PING per request body it receives, so a connection that
/// starts at most `calls` calls in `window` receives at most about that many PINGs in it: 100 in
/// 30 s stays well under swift-nio-http2's limit of 200 control frames in 30 s, with room for the
/// server's SETTINGS, keepalive PINGs and a request in more than one DATA frame.
struct ConnectionBudget: Sendable {
  let calls: Int
  let window: Duration
  /// When the current connection started its calls that are still within the window.
  private var starts: [ContinuousClock.Instant] = []

  /// Where a call goes.
  enum Start: Equatable {
    case current
    /// On the current connection, and the next one should be made now, to be ready in time.
    case currentAndMakeNext
    /// On the next connection: the current one's budget is spent.
    case next
  }

  init(calls: Int = 100, window: Duration = .seconds(30)) {
    self.calls = max(1, calls)
    self.window = window
  }

  /// Counts a call starting at `now` and says which connection it goes on.
  mutating func start(at now: ContinuousClock.Instant) -> Start {
    let expired = starts.prefix { now - $0 >= window }.count
    starts.removeFirst(expired)
    guard starts.count < calls else {
      starts = [now]
      return .next
    }
    starts.append(now)
    return starts.count >= calls - calls / 4 ? .currentAndMakeNext : .current
  }
}
