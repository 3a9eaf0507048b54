import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

/// No secret, from any source, reaches the journal or any output, in any encoding, even when the
/// server quotes every one of them back (docs/design.md §7).
@Suite(.tags(.integration)) struct SecretsEndToEndTests {
  /// One secret of every kind, with characters that base64, percent-encoding and JSON all change.
  static let flagAPIKey = "flag+api/key=1"
  static let variableAPIKey = "variable&api<key>2"
  static let fileAPIKey = "file api/key+3"
  static let tenant = "tenant secret/4"
  static let trace = "trace+meta=5"
  static let keyBody = "MIIEkeyData+/6"
  static let keyPEM = "-----BEGIN PRIVATE KEY-----\n\(keyBody)\n-----END PRIVATE KEY-----\n"
  static let codecAuth = "Bearer codec+auth/7"
  static let clientSecret = "oauth-client&secret/8"
  static let accessToken = "oauth.access+token=9"
  static let refreshToken = "oauth refresh/token+10"

  static let secrets = [
    flagAPIKey, variableAPIKey, fileAPIKey, tenant, trace, keyPEM, keyBody, codecAuth, clientSecret,
    accessToken,
    refreshToken,
  ]

  @Test func noSecretReachesTheJournalLogTimelineHandoffOrExportWhenTheServerEchoesThemAll()
    async throws
  {
    // Given a server that refuses every call quoting the request's headers and, as if it knew
    // them, the secrets never sent (the key, the codec auth, the OAuth values)
    let server = try await EchoingTemporalServer(
      alsoSays: [
        Self.keyPEM, Self.keyBody, Self.codecAuth, Self.clientSecret, Self.accessToken,
        Self.refreshToken,
        Self.fileAPIKey, Self.variableAPIKey,
      ])
    let fixture = try CLIFixture()
    // And secrets from the profile file (API key, codec auth, OAuth), the variables (API key,
    // a gRPC meta value, inline TLS key data) and the flags (API key, a gRPC meta value)
    let profile = try SecretSearch.profile(
      in: fixture, apiKey: Self.fileAPIKey, codecAuth: Self.codecAuth,
      clientSecret: Self.clientSecret,
      accessToken: Self.accessToken, refreshToken: Self.refreshToken)
    let environment = [
      "HOME": fixture.directory.url.path, "TEMPORAL_CONFIG_FILE": profile,
      "TEMPORAL_API_KEY": Self.variableAPIKey,
      "TEMPORAL_GRPC_META_X_TENANT": Self.tenant, "TEMPORAL_TLS_CLIENT_KEY_DATA": Self.keyPEM,
    ]
    try await fixture.openIncident()

    // When the operator runs the runbook against it
    let run = try await fixture.salvage(
      "run", "--yes", "--address", "127.0.0.1:\(server.port)", "--tls", "false", "--api-key",
      Self.flagAPIKey,
      "--grpc-meta", "x-trace=\(Self.trace)", environment: environment)
    await server.stop()

    // Then the first read failed on the server's refusal, said on stderr with the secrets masked
    // (a failed read is not journaled; the journal and outputs are still searched below)
    #expect(run.status == 20, "\(run.stdout)\(run.stderr)")
    #expect(server.headers["x-tenant"] == Self.tenant)
    #expect(server.headers["authorization"] == "Bearer \(Self.flagAPIKey)")
    #expect(
      run.stderr.contains("refused; I heard: ") && run.stderr.contains("<redacted>"),
      "\(run.stderr)")
    let log = try await fixture.salvage("log").stdout
    // And no output and no byte of the journal holds any secret in any encoding
    let outputs = try await SecretSearch.outputs(
      of: fixture,
      with: [
        "run": run.stdout + run.stderr, "log": log, "log jsonl": try await fixture.rawLog(),
        "status": try await fixture.salvage("status").stdout,
      ])
    #expect(outputs.count >= 11)
    SecretSearch.expectNone(of: Self.secrets, in: outputs)
  }
}
