import Foundation
public import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// A gRPC server on a free loopback port that answers every `WorkflowService` call with an error
/// whose message repeats what it heard: each request header's value (and any extra text it was
/// told to say) plainly, in base64 (standard and URL-safe, with and without padding),
/// percent-encoded and JSON-quoted. A server that quotes secrets back, to prove none gets through.
public final class EchoingTemporalServer: Sendable {
  /// The port it listens on.
  public let port: Int
  private let server: GRPCServer<HTTP2ServerTransport.Posix>
  private let serving: Task<Void, Never>
  /// The values heard, by header name, for tests that check what was sent.
  private let heard: Heard

  /// Every method salvage's client calls.
  static let methods = [
    "GetSystemInfo", "DescribeNamespace", "DescribeWorkerDeployment",
    "DescribeWorkerDeploymentVersion",
    "SetWorkerDeploymentCurrentVersion", "SetWorkerDeploymentRampingVersion",
    "DeleteWorkerDeploymentVersion",
    "CountWorkflowExecutions", "ListWorkflowExecutions", "DescribeWorkflowExecution",
    "GetWorkflowExecutionHistory",
    "ResetWorkflowExecution", "TerminateWorkflowExecution", "StartWorkflowExecution",
    "StartBatchOperation",
    "DescribeBatchOperation", "DescribeTaskQueue",
  ]

  /// Starts a server that also says each of `alsoSays` in every encoding, as if it knew them.
  /// Methods in `answering` answer with those response bytes instead (so a run gets far enough
  /// to journal a refusal).
  public init(
    code: RPCError.Code = .failedPrecondition, alsoSays: [String] = [],
    answering: [String: [UInt8]] = [:]
  ) async throws {
    let heard = Heard()
    self.heard = heard
    let service = EchoService(code: code, alsoSays: alsoSays, answering: answering, heard: heard)
    let transport = HTTP2ServerTransport.Posix(
      address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
    let server = GRPCServer(transport: transport, services: [service])
    self.server = server
    serving = Task { try? await server.serve() }
    port = try await transport.listeningAddress.ipv4?.port ?? 0
  }

  /// The request headers heard so far (the last value of each).
  public var headers: [String: String] { heard.values.withLock { $0 } }

  /// Stops serving.
  public func stop() async {
    server.beginGracefulShutdown()
    await serving.value
  }

  /// Every encoding the server says `text` in; the tests look for each.
  public static func encodings(of text: String) -> [String] {
    let base64 = Data(text.utf8).base64EncodedString()
    let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(
      of: "/", with: "_")
    let json = (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? text
    return [
      text, base64, base64.replacingOccurrences(of: "=", with: ""), urlSafe,
      urlSafe.replacingOccurrences(of: "=", with: ""),
      text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text,
      String(json.dropFirst().dropLast()),
    ].filter { !$0.isEmpty }
  }
}

/// The request headers heard, shared by the service's handlers.
private final class Heard: Sendable {
  let values = Mutex<[String: String]>([:])
}

/// Answers every method with an error quoting the request's headers.
private struct EchoService: RegistrableRPCService {
  let code: RPCError.Code
  let alsoSays: [String]
  let answering: [String: [UInt8]]
  let heard: Heard

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    for method in EchoingTemporalServer.methods {
      router.registerHandler(
        forMethod: MethodDescriptor(
          fullyQualifiedService: "temporal.api.workflowservice.v1.WorkflowService", method: method),
        deserializer: RawBytes(), serializer: RawBytes()
      ) { request, _ in
        var values: [String] = []
        for (name, value) in request.metadata {
          guard case .string(let text) = value else { continue }
          heard.values.withLock { $0[name] = text }
          values.append(text)
          if text.hasPrefix("Bearer ") { values.append(String(text.dropFirst(7))) }
        }
        if let answer = answering[method] {
          return StreamingServerResponse(single: ServerResponse(message: answer))
        }
        let said = (values + alsoSays).map {
          EchoingTemporalServer.encodings(of: $0).joined(separator: " ")
        }
        let message = "\(method) refused; I heard: " + said.joined(separator: " | ")
        // One line: the client keeps only a message's first line.
        throw RPCError(code: code, message: message.replacingOccurrences(of: "\n", with: " "))
      }
    }
  }
}

/// Request and response bodies as bytes: the echo never reads them.
private struct RawBytes: MessageSerializer, MessageDeserializer {
  func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
  func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
    serializedMessageBytes.withUnsafeBytes { Array($0) }
  }
}
