import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import SalvageCore

/// Where and how to reach the server: what the resolved connection configuration comes down to.
public struct GRPCEndpoint: Sendable {
  /// A credential given as a file or inline PEM.
  public enum Source: Sendable, Equatable {
    case path(String)
    case data(String)
  }

  /// TLS settings; `nil` on the endpoint means plaintext.
  public struct TLS: Sendable, Equatable {
    public var clientCertificate: Source?
    public var clientKey: Source?
    public var serverCA: Source?
    public var serverName: String?
    public var disableHostVerification = false
    public init() {}
  }

  public var host: String
  public var port: Int
  public var namespace: String
  public var tls: TLS?
  /// Headers sent on every call (an API key's `authorization`, `grpc_meta`), lower-case names.
  public var headers: [(String, String)]
  /// Every secret value of the connection, scrubbed from whatever the server says.
  public var secrets: [String]
  /// The `:authority` (and TLS server name) to send instead of the address's.
  public var authority: String?

  public init(
    host: String, port: Int, namespace: String, tls: TLS? = nil, headers: [(String, String)] = [],
    secrets: [String] = [], authority: String? = nil
  ) {
    self.host = host
    self.port = port
    self.namespace = namespace
    self.tls = tls
    self.headers = headers
    self.secrets = secrets
    self.authority = authority
  }

  /// `host:port`, as the operator gave it.
  public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension GRPCTemporalClient {
  /// A client over a new connection to `endpoint` (it connects on the first call). The
  /// connection closes with ``close()``, or when the last copy of the client goes.
  public static func connect(
    _ endpoint: GRPCEndpoint, timeouts: Timeouts = Timeouts(), changeAnswered: ChangeAnswered? = nil
  ) throws -> GRPCTemporalClient {
    let lifetime: ConnectionLifetime
    do {
      // Each connection gets a transport of its own (see ConnectionLifetime).
      lifetime = try ConnectionLifetime {
        try HTTP2ClientTransport.Posix(
          target: target(endpoint.host, endpoint.port), transportSecurity: security(endpoint.tls),
          config: .defaults { config in
            config.http2.authority = endpoint.tls?.serverName ?? endpoint.authority
            config.backoff.initial = .milliseconds(100)
          })
      }
    } catch {
      throw TemporalError.unreachable(
        "cannot set up the connection to \(endpoint.address): "
          + SecretScrubber(secrets: endpoint.secrets).scrub("\(error)"))
    }
    return GRPCTemporalClient(
      lifetime: lifetime, namespace: endpoint.namespace, headers: endpoint.headers,
      secrets: endpoint.secrets,
      commandLine: TemporalCommandLine(address: endpoint.address, namespace: endpoint.namespace),
      timeouts: timeouts,
      changeAnswered: changeAnswered)
  }

  /// Lets calls in flight finish, then closes the connection (every connection the client
  /// made: see ``ConnectionLifetime``).
  public func close() async {
    await lifetime.close()
  }

  /// Connects, runs `body` with a client, and closes the connection when it returns or throws.
  public static func withClient<Result: Sendable>(
    _ endpoint: GRPCEndpoint, timeouts: Timeouts = Timeouts(),
    changeAnswered: ChangeAnswered? = nil,
    _ body: (GRPCTemporalClient) async throws -> Result
  ) async throws -> Result {
    let client = try connect(endpoint, timeouts: timeouts, changeAnswered: changeAnswered)
    do {
      let result = try await body(client)
      await client.close()
      return result
    } catch {
      await client.close()
      throw error
    }
  }

  /// An IP address is dialled as one, not resolved as a DNS name: a DNS target's name becomes the
  /// TLS server name, and SNI may not carry an IP address (NIOSSL refuses the connection), so TLS
  /// to `127.0.0.1:7233` without a server name failed. Now no SNI is sent and the certificate is
  /// checked against the address, as gRPC-Go does.
  static func target(_ host: String, _ port: Int) -> any ResolvableTarget {
    if host.contains(":") { return .ipv6(address: host, port: port) }
    let octets = host.split(separator: ".", omittingEmptySubsequences: false)
    let isIPv4 =
      octets.count == 4
      && octets.allSatisfy { octet in
        (1...3).contains(octet.count) && octet.allSatisfy { ("0"..."9").contains($0) }
          && (Int(octet) ?? 256) <= 255
      }
    return isIPv4 ? .ipv4(address: host, port: port) : .dns(host: host, port: port)
  }

  private static func security(_ tls: GRPCEndpoint.TLS?)
    -> HTTP2ClientTransport.Posix.TransportSecurity
  {
    guard let tls else { return .plaintext }
    return .tls { config in
      if let certificate = tls.clientCertificate {
        config.certificateChain = [certificateSource(certificate)]
      }
      if let key = tls.clientKey {
        switch key {
        case .path(let path): config.privateKey = .file(path: path, format: .pem)
        case .data(let pem): config.privateKey = .bytes(Array(pem.utf8), format: .pem)
        }
      }
      if let ca = tls.serverCA { config.trustRoots = .certificates([certificateSource(ca)]) }
      if tls.disableHostVerification {
        config.serverCertificateVerification = .noHostnameVerification
      }
    }
  }

  private static func certificateSource(_ source: GRPCEndpoint.Source)
    -> TLSConfig.CertificateSource
  {
    switch source {
    case .path(let path): .file(path: path, format: .pem)
    case .data(let pem): .bytes(Array(pem.utf8), format: .pem)
    }
  }
}
