import Foundation
import SalvageTemporal
import Testing

/// Secrets never show, are all listed for scrubbing, and reach the server only as headers.
@Suite struct ConnectionSecretsTests {
  static let file = ConnectionFixture.defaultFile

  /// Secrets with characters that base64 and percent-encoding both change.
  static let fileKey = "file+key/with=chars?1"
  static let envKey = "env+key/TEMPORAL&2"
  static let tenant = "tenant secret/3"
  static let keyPEM = "-----BEGIN PRIVATE KEY-----\nMIIE+key/4\n-----END PRIVATE KEY-----\n"
  static let codecAuth = "Bearer codec+auth/5"

  /// A connection holding a secret of every kind, from every source.
  static func everySecret() throws -> ResolvedConnection {
    let fixture = ConnectionFixture(
      file: """
        [profile.default]
        api_key = "\(fileKey)"
        [profile.default.grpc_meta]
        x_tenant = "\(tenant)"
        """,
      environment: [
        "TEMPORAL_API_KEY": envKey, "TEMPORAL_CODEC_ENDPOINT": "https://codec",
        "TEMPORAL_CODEC_AUTH": codecAuth,
      ])
    return try fixture.resolve(
      .with {
        $0.tlsCertData = "CERT"
        $0.tlsKeyData = keyPEM
        $0.grpcMeta = ["x-trace=trace+6"]
      })
  }

  @Test func secretsListsEverySecretFromEverySourceIncludingOverriddenOnes() throws {
    // Given a secret of every kind, and a file API key the variable overrides
    let resolved = try Self.everySecret()
    // Then every one is listed, the overridden file key too, and nothing else (not the certificate)
    #expect(resolved.apiKey?.revealed == Self.envKey)
    #expect(
      Set(resolved.secrets) == [
        Self.envKey, Self.fileKey, Self.tenant, Self.keyPEM, Self.codecAuth, "trace+6",
      ])
    #expect(resolved.secrets.count == 6)
  }

  @Test func noRenderingShowsASecretInAnyEncoding() throws {
    // Given a connection holding every kind of secret
    let resolved = try Self.everySecret()
    var dumped = ""
    dump(resolved, to: &dumped)
    let renderings = [
      resolved.redactedLines().joined(separator: "\n"), "\(resolved)", String(reflecting: resolved),
      dumped,
      "\(resolved.tls!)", "\(resolved.grpcMeta)", String(reflecting: resolved.tls!.clientKey!),
    ]
    // Then none holds any secret plainly, in base64, percent-encoded or in hex
    for secret in resolved.secrets {
      let encodings = [
        secret, Data(secret.utf8).base64EncodedString(),
        secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
        secret.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!,
        Data(secret.utf8).map { String(format: "%02x", $0) }.joined(),
      ]
      for rendering in renderings {
        for encoded in encodings {
          #expect(
            !rendering.contains(encoded),
            "a rendering shows an encoding of a \(secret.utf8.count)-byte secret")
        }
      }
    }
    // And the secrets show as their lengths
    #expect(
      resolved.redactedLines().contains {
        $0.contains("<redacted, \(Self.envKey.utf8.count) bytes>")
      })
  }

  @Test func redactedLinesNameEachSettingAndItsSource() throws {
    // Given an address from the variable, a profile API key and a header from the flag
    let fixture = ConnectionFixture(
      file: "[profile.default]\napi_key = \"0123456789abcdef0123456789abcdef\"\n",
      environment: ["TEMPORAL_ADDRESS": "127.0.0.1:7233"])
    let resolved = try fixture.resolve(.with { $0.grpcMeta = ["x-tenant=acme"] })
    // Then each line is the label, the value and the source, aligned
    #expect(
      resolved.redactedLines() == [
        "config file         /home/op/.config/temporalio/temporal.toml",
        "profile             default",
        "address             127.0.0.1:7233        (TEMPORAL_ADDRESS)",
        "namespace           default               (default)",
        "api key             <redacted, 32 bytes>  (profile 'default' in \(Self.file))",
        "tls                 on                    (profile 'default' in \(Self.file))",
        "grpc meta x-tenant  <redacted, 4 bytes>   (--grpc-meta)",
      ])
  }

  @Test func headersCarryTheBearerKeyTheMetaAndTheNamespace() throws {
    // Given an API key and a header
    let resolved = try ConnectionFixture(environment: [
      "TEMPORAL_API_KEY": "k-1", "TEMPORAL_NAMESPACE": "payments",
    ])
    .resolve(.with { $0.grpcMeta = ["X-Tenant=acme"] })
    // Then the headers are the meta, then the key as a bearer token, then the namespace
    #expect(
      resolved.headers().map { "\($0.0): \($0.1)" } == [
        "x-tenant: acme", "authorization: Bearer k-1", "temporal-namespace: payments",
      ])
  }

  @Test func aMetaAuthorizationOrNamespaceHeaderWinsOverTheDerivedOne() throws {
    // Given gRPC meta that sets authorization and temporal-namespace itself (sdk-go keeps those)
    let resolved = try ConnectionFixture(environment: ["TEMPORAL_API_KEY": "k-1"])
      .resolve(.with { $0.grpcMeta = ["authorization=Custom xyz", "temporal-namespace=other"] })
    #expect(
      resolved.headers().map { "\($0.0): \($0.1)" } == [
        "authorization: Custom xyz", "temporal-namespace: other",
      ])
  }

  @Test func grpcMetaKeysAreNormalisedAndAnEmptyVariableDeletesOne() throws {
    // Given headers in the file, deleted or added by variables, and given by flags
    let fixture = ConnectionFixture(
      file: "[profile.default.grpc_meta]\nX_Tenant = \"acme\"\nx-region = \"eu\"\n",
      environment: ["TEMPORAL_GRPC_META_X_TENANT": "", "TEMPORAL_GRPC_META_Trace_ID": "t-1"])
    let resolved = try fixture.resolve(
      .with { $0.grpcMeta = ["X-Flag=f", "Under_Score=u", "empty="] })
    // Then file and variable keys are lower-cased with '-' for '_', flag keys only lower-cased
    #expect(
      resolved.grpcMeta == [
        "x-region": Secret("eu"), "trace-id": Secret("t-1"), "x-flag": Secret("f"),
        "under_score": Secret("u"),
        "empty": Secret(""),
      ])
    #expect(resolved.sources[.grpcMeta("trace-id")] == .environment("TEMPORAL_GRPC_META_Trace_ID"))
  }

  @Test func aGRPCMetaFlagWithoutEqualsIsRefusedWithoutEchoingIt() {
    let error = ConnectionFixture().error(
      .with { $0.grpcMeta = ["a=b", "authorization: Bearer s3cret"] })
    #expect(error?.description == "--grpc-meta value 2 has no '=': write KEY=VALUE")
    #expect(
      ConnectionFixture().error(.with { $0.grpcMeta = ["x y=z"] })?.description
        == "--grpc-meta value 1 has a KEY that is not a header name (letters, digits, '-', '_', '.')"
    )
  }

  @Test func noErrorMessageShowsASecret() {
    // Given secrets next to each kind of mistake
    let errors = [
      ConnectionFixture(environment: ["TEMPORAL_API_KEY": "s3cret-k"]).error(
        .with { $0.address = "nohost" }),
      ConnectionFixture(file: "[profile.default]\napi_key = \"s3cret-k\"\nnamespace = 1\n").error(),
      ConnectionFixture(file: "[profile.default]\napi_key = \"s3cret-k\n").error(),
      ConnectionFixture(environment: ["TEMPORAL_TLS_CLIENT_KEY_DATA": "s3cret-k"]).error(),
    ]
    #expect(errors.allSatisfy { $0 != nil })
    for error in errors { #expect(!"\(error!)".contains("s3cret")) }
  }
}
