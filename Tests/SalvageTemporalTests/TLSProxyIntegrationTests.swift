import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// TLS, mTLS and an API key, through a real TLS-terminating gRPC proxy (nginx, `tools/tls-proxy`)
/// in front of a real dev server with a bad rollout (``TLSLab``).
///
/// The proxy's mTLS block requires a client certificate from its CA, and its server certificate
/// names only `localhost`, so dialling 127.0.0.1 needs that server name. Its API key block
/// requires `authorization: Bearer <key>`, and its certificate also names 127.0.0.1.
@Suite(.tags(.integration), .serialized) struct TLSProxyIntegrationTests {
  var lab: TLSLab { get async throws { try await TLSLab.shared() } }

  /// The mTLS block with the CA trusted and the server name set; `configure` changes the rest.
  func mtls(_ configure: (inout GRPCEndpoint.TLS) -> Void = { _ in }) async throws -> GRPCEndpoint {
    let proxy = try await lab.proxy
    var tls = GRPCEndpoint.TLS()
    tls.serverCA = .path(proxy.caPath)
    tls.clientCertificate = .path(proxy.clientCertificatePath)
    tls.clientKey = .path(proxy.clientKeyPath)
    tls.serverName = proxy.serverName
    configure(&tls)
    return GRPCEndpoint(
      host: "127.0.0.1", port: TLSProxy.port(of: proxy.mtlsAddress), namespace: "default", tls: tls)
  }

  /// The endpoint the real resolver makes of these `TEMPORAL_*` variables (and no config file).
  func resolved(_ environment: [String: String]) throws -> GRPCEndpoint {
    var flags = ConnectionFlags()
    flags.disableConfigFile = true
    let resolved = try ConnectionResolver(environment: environment).resolve(flags)
    return GRPCEndpoint(resolved, credentials: try resolved.tls?.loadCredentials())
  }

  /// The key block through the resolver, as an operator configures it: address, CA and key.
  func keyEndpoint(apiKey: String?) async throws -> GRPCEndpoint {
    let proxy = try await lab.proxy
    var environment = [
      "TEMPORAL_ADDRESS": proxy.keyAddress, "TEMPORAL_TLS_SERVER_CA_CERT_PATH": proxy.caPath,
    ]
    if let apiKey {
      environment["TEMPORAL_API_KEY"] = apiKey
    } else {
      environment["TEMPORAL_TLS"] = "true"
    }
    return try resolved(environment)
  }

  /// What reading the namespace through `endpoint` fails with (a test failure if it does not).
  /// A refusal comes back at once; a TLS failure after the client's retries (about 3 s).
  func refusal(_ endpoint: GRPCEndpoint) async throws -> TemporalError {
    let error = await #expect(throws: TemporalError.self) {
      try await GRPCTemporalClient.withClient(endpoint) { try await $0.describeNamespace() }
    }
    return try #require(error)
  }

  // MARK: mTLS

  @Test func aClientCertificateByPathGetsTheServersOwnAnswersThroughTheMTLSBlock() async throws {
    // Given the proxy's CA, its client certificate and key as files, and the certificate's server name
    let lab = try await lab
    let endpoint = try await mtls()
    let stuck = stuckQuery(lab.scenario.version("bad"))
    // When the native client reads through the mTLS block
    let (namespace, count, listed) = try await GRPCTemporalClient.withClient(endpoint) { client in
      var ids: [String] = []
      try await client.list(stuck) { ids.append($0.workflowID) }
      return (try await client.describeNamespace(), try await client.count(stuck), ids)
    }
    // Then it gets what the server says directly
    #expect(namespace.name == "default")
    #expect(count == TLSLab.stuck)
    #expect(try await lab.scenario.client.count(stuck) == TLSLab.stuck)
    #expect(listed.sorted() == (0..<TLSLab.stuck).map { "stuck-orderworkflow-\($0)" })
  }

  @Test func aClientCertificateGivenInlineThroughTheResolverWorksTheSame() async throws {
    // Given the certificate, key and CA as PEM text in the TEMPORAL_* variables, and the server name
    let lab = try await lab
    func pem(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
    let key = try pem(lab.proxy.clientKeyPath)
    let endpoint = try resolved([
      "TEMPORAL_ADDRESS": lab.proxy.mtlsAddress, "TEMPORAL_TLS_SERVER_NAME": lab.proxy.serverName,
      "TEMPORAL_TLS_SERVER_CA_CERT_DATA": try pem(lab.proxy.caPath),
      "TEMPORAL_TLS_CLIENT_CERT_DATA": try pem(lab.proxy.clientCertificatePath),
      "TEMPORAL_TLS_CLIENT_KEY_DATA": key,
    ])
    #expect(endpoint.tls?.clientKey == .data(key))
    #expect(endpoint.secrets.contains(key))
    // When the native client counts the stuck executions through the mTLS block
    let count = try await GRPCTemporalClient.withClient(endpoint) {
      try await $0.count(stuckQuery(lab.scenario.version("bad")))
    }
    // Then it gets the real answer
    #expect(count == TLSLab.stuck)
  }

  @Test func withoutAClientCertificateTheCallIsUnauthenticatedOnOneLine() async throws {
    // Given the CA and the server name but no client certificate
    let endpoint = try await mtls { tls in
      tls.clientCertificate = nil
      tls.clientKey = nil
    }
    // When the native client reads, then the proxy's refusal is a typed one-line error
    let error = try await refusal(endpoint)
    #expect(error == .unauthenticated("a client certificate signed by the proxy's CA is required"))
    #expect(!error.description.contains("\n"))
  }

  @Test func aClientCertificateFromAnotherCAIsRefusedTheSameWay() async throws {
    let proxy = try await lab.proxy
    let endpoint = try await mtls { tls in
      tls.clientCertificate = .path(proxy.settings["stranger_cert", default: ""])
      tls.clientKey = .path(proxy.settings["stranger_key", default: ""])
    }
    #expect(
      try await refusal(endpoint)
        == .unauthenticated("a client certificate signed by the proxy's CA is required"))
  }

  // MARK: the server's certificate

  @Test func aServerNameTheCertificateDoesNotHaveIsRefusedBeforeAnythingIsSent() async throws {
    // Given the mTLS block's certificate, which names only localhost, and another server name
    let endpoint = try await mtls { $0.serverName = "wrong.example" }
    // When the native client reads, then it refuses the server and says why, on one line
    let error = try await refusal(endpoint)
    guard case .unreachable(let message) = error else {
      Issue.record("expected unreachable, got \(error)")
      return
    }
    #expect(message.hasPrefix("the server's TLS certificate does not name wrong.example; "))
    #expect(!error.description.contains("\n"))
  }

  @Test func dialling127001NeedsTheServerNameWhenTheCertificateNamesOnlyLocalhost() async throws {
    // Given the mTLS block (its certificate names localhost, not 127.0.0.1) and no server name
    let endpoint = try await mtls { $0.serverName = nil }
    // When the native client reads, then the address dialled is what it checked, and it says so
    let error = try await refusal(endpoint)
    guard case .unreachable(let message) = error else {
      Issue.record("expected unreachable, got \(error)")
      return
    }
    #expect(message.hasPrefix("the server's TLS certificate does not name the address dialled"))
  }

  @Test func withoutTheProxysCATheServerCertificateDoesNotVerify() async throws {
    // Given the system's roots instead of the proxy's CA
    let endpoint = try await mtls { $0.serverCA = nil }
    let error = try await refusal(endpoint)
    guard case .unreachable(let message) = error else {
      Issue.record("expected unreachable, got \(error)")
      return
    }
    #expect(
      message.hasPrefix("the server's TLS certificate did not verify (CERTIFICATE_VERIFY_FAILED"))
  }

  // MARK: API key

  @Test func anAPIKeyFromTheEnvironmentGetsThroughTheKeyBlock() async throws {
    // Given TEMPORAL_ADDRESS (an IP address, no server name), the CA and the key, resolved for real
    let lab = try await lab
    let endpoint = try await keyEndpoint(apiKey: lab.proxy.apiKey)
    #expect(endpoint.tls != nil)
    #expect(endpoint.headers.contains { $0 == ("authorization", "Bearer " + lab.proxy.apiKey) })
    // When the native client reads through the key block
    let (namespace, count) = try await GRPCTemporalClient.withClient(endpoint) { client in
      (
        try await client.describeNamespace(),
        try await client.count(stuckQuery(lab.scenario.version("bad")))
      )
    }
    // Then it gets the real answers
    #expect(namespace.name == "default")
    #expect(count == TLSLab.stuck)
  }

  @Test func aWrongAPIKeyIsUnauthenticatedAndTheKeyIsInNoMessage() async throws {
    // Given a key the proxy does not accept
    let wrong = "wrong-key-\(UUID().uuidString)"
    let endpoint = try await keyEndpoint(apiKey: wrong)
    #expect(endpoint.secrets == [wrong])
    // When the native client reads, then it is unauthenticated, on one line, and the key shows nowhere
    let error = try await refusal(endpoint)
    #expect(error == .unauthenticated("the API key is missing or not valid"))
    #expect(!error.description.contains("\n"))
    #expect(!String(reflecting: error).contains(wrong))
  }

  @Test func withoutAnAPIKeyTheKeyBlockRefusesTheCall() async throws {
    let endpoint = try await keyEndpoint(apiKey: nil)
    #expect(!endpoint.headers.contains { $0.0 == "authorization" })
    #expect(try await refusal(endpoint) == .unauthenticated("the API key is missing or not valid"))
  }
}
