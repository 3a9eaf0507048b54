import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
public import SalvageCore

/// ``TemporalClient`` over the Temporal API itself: `WorkflowService` over gRPC (docs/design.md §7).
///
/// One HTTP/2 connection at a time, shared by every call (closed resets run side by side over
/// it), renewed after a bounded number of calls (``ConnectionLifetime``). Each call
/// carries the namespace header and the connection's headers (an API key as bearer metadata, the
/// `grpc_meta` headers), has a deadline, and maps a failure to a ``TemporalError`` scrubbed of every
/// secret. Free text in answers (poller identities, a batch's reason, identity and query, a
/// manager identity, the server version) passes the same ``SecretScrubber``; identifiers salvage
/// sends back (workflow and run ids, types, builds, task queues) are kept exact. Reads are retried
/// with backoff on `unavailable`; changes never are.
public struct GRPCTemporalClient: TemporalClient {
  typealias Service = Temporal_Api_Workflowservice_V1_WorkflowService.Client<
    HTTP2ClientTransport.Posix
  >

  let lifetime: ConnectionLifetime
  public let namespace: String
  let metadata: Metadata
  let scrubber: SecretScrubber
  /// The `temporal` commands that do the same as each change, for the record.
  let commandLine: TemporalCommandLine
  let timeouts: Timeouts
  /// Told the name of each change call whose answer arrived, before the answer is used.
  let changeAnswered: ChangeAnswered?

  /// For crash tests only: called with a change call's RPC name once its answer arrived, before
  /// salvage sees it (a test kills the process there: the request took effect, its answer is lost).
  public typealias ChangeAnswered = @Sendable (_ call: String) -> Void

  /// Deadlines per kind of call, in seconds.
  public struct Timeouts: Sendable {
    public var read: Double = 30
    public var change: Double = 60
    /// One run's reset: small and quick on the server, so a short deadline bounds how long its
    /// answer can be in doubt (``RunbookRunner/Timing/perRunLostAnswerWindow`` waits it out).
    public var perRunReset: Double = 10
    public init() {}
  }

  init(
    lifetime: ConnectionLifetime, namespace: String, headers: [(String, String)], secrets: [String],
    commandLine: TemporalCommandLine, timeouts: Timeouts = Timeouts(),
    changeAnswered: ChangeAnswered? = nil
  ) {
    self.changeAnswered = changeAnswered
    self.lifetime = lifetime
    self.namespace = namespace
    var metadata = Metadata()
    for (name, value) in headers { metadata.addString(value, forKey: name) }
    metadata.replaceOrAddString(namespace, forKey: "temporal-namespace")
    self.metadata = metadata
    scrubber = SecretScrubber(secrets: secrets)
    self.commandLine = commandLine
    self.timeouts = timeouts
  }

  /// The largest message salvage accepts: a page of a List or a history read can pass gRPC's
  /// 4 MiB default.
  static let maxMessageBytes = 128 * 1024 * 1024

  func options(_ seconds: Double) -> CallOptions {
    var options = CallOptions.defaults
    options.timeout = .milliseconds(Int64(seconds * 1000))
    // Both: in grpc-swift-nio-transport 2.9.2 the limit on received messages is read from
    // maxRequestMessageBytes (maxResponseMessageBytes alone still fails at 4 MiB).
    options.maxResponseMessageBytes = Self.maxMessageBytes
    options.maxRequestMessageBytes = Self.maxMessageBytes
    return options
  }

  /// One call of the service, on the connection it is to go on (``ConnectionLifetime``).
  func call<Result: Sendable>(
    _ call: (Service, Metadata, CallOptions) async throws -> Result, seconds: Double
  ) async throws -> Result {
    try await lifetime.withConnection { client in
      try await call(Service(wrapping: client), metadata, options(seconds))
    }
  }

  /// A read: retried with backoff while the server is unavailable (a few times, then the error).
  func read<Result: Sendable>(
    _ name: String, _ call: (Service, Metadata, CallOptions) async throws -> Result
  ) async throws -> Result {
    try await read(name, client: { try await call(Service(wrapping: $0), $1, $2) })
  }

  /// A read given the connection's gRPC client itself, for a call decoded by a hand-written
  /// deserializer (``ListPageDeserializer``) rather than the generated service's.
  func read<Result: Sendable>(
    _ name: String,
    client call: (GRPCClient<ConnectionLifetime.Transport>, Metadata, CallOptions) async throws
      -> Result
  ) async throws -> Result {
    var delay = 0.2
    for attempt in 1... {
      do {
        return try await lifetime.withConnection { client in
          try await call(client, metadata, options(timeouts.read))
        }
      } catch let error as RPCError where error.code == .unavailable && attempt < 5 {
        try await Task.sleep(for: .seconds(delay))
        delay *= 2
      } catch let error as RPCError
        where error.code == .resourceExhausted && attempt < Self.rateLimitedAttempts
        && !error.message.contains("Max concurrent batch operations")
        && !TemporalErrorMapping.isOverSizeLimit(error.message) && !CallLimiter.sendsRefusalsAgain
      {
        // The namespace's rate limit: slow down rather than fail (a few seconds between tries),
        // unless the caller's limiter sends it again itself.
        try await Task.sleep(for: .seconds(delay))
        delay = min(delay * 2, 5)
      } catch {
        throw mapped(error, call: name, seconds: timeouts.read)
      }
    }
    preconditionFailure("the loop returns or throws")
  }

  /// How often a read refused by the namespace's rate limit is tried (about a minute in all).
  static let rateLimitedAttempts = 16

  /// A change: sent once; its error says whether it may have acted.
  func change<Result: Sendable>(
    _ name: String, deadline: Double? = nil,
    _ call: (Service, Metadata, CallOptions) async throws -> Result
  ) async throws -> Result {
    let result: Result
    let seconds = deadline ?? timeouts.change
    do {
      result = try await self.call(call, seconds: seconds)
    } catch {
      throw mapped(error, call: name, seconds: seconds)
    }
    changeAnswered?(name)
    return result
  }

  func mapped(_ error: any Error, call: String, seconds: Double) -> TemporalError {
    if let error = error as? TemporalError { return error }
    guard let rpc = error as? RPCError else {
      return .failed(
        call: call, code: "unknown", message: scrubber.scrub(String(describing: error)))
    }
    return TemporalErrorMapping.map(rpc, call: call, deadline: seconds, scrubber: scrubber)
  }
}
