import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

/// A notification holds no secret, in any encoding, even when the server quotes every one back,
/// the webhook's own address included; and no output or journal byte holds that address.
@Suite(.tags(.integration)) struct NotificationSecretsTests {
  static let apiKey = "flag+api/key=1"
  static let tenant = "tenant secret/4"
  static let token = "T0SALVAGE/B0SALVAGE/hushHush+webhook=42"

  @Test func aNotificationHoldsNoSecretWhenTheServerEchoesThemAllTheWebhooksAddressIncluded()
    async throws
  {
    // Given a webhook named only by the profile, and a server that refuses every call quoting
    // the request's headers and, as if it knew it, the webhook's address
    let receiver = try WebhookReceiver()
    defer { receiver.stop() }
    let url = receiver.url(token: Self.token)
    let server = try await EchoingTemporalServer(alsoSays: [url, Self.token])
    let fixture = try CLIFixture()
    let profile = fixture.directory.path("temporal.toml")
    try Data(
      """
      [profile.default.salvage]
      notify_url = "\(url)"
      """.utf8
    ).write(to: URL(fileURLWithPath: profile))
    try await fixture.openIncident()
    // When the operator runs the runbook against it with an API key and a gRPC meta value
    let run = try await fixture.salvage(
      "run", "--yes", "--address", "127.0.0.1:\(server.port)", "--tls", "false", "--api-key",
      Self.apiKey,
      environment: [
        "HOME": fixture.directory.url.path, "TEMPORAL_CONFIG_FILE": profile,
        "TEMPORAL_GRPC_META_X_TENANT": Self.tenant,
      ])
    await server.stop()
    // Then the run ended on the server's refusal, and the webhook was told so, masked
    #expect(run.status == 20, "\(run.stdout)\(run.stderr)")
    let body = String(decoding: try #require(receiver.delivered.last), as: UTF8.self)
    #expect(body.contains("\"kind\":\"ended\""))
    #expect(body.contains("refused; I heard: ") && body.contains("<redacted>"), "\(body)")
    #expect(receiver.requests.first?.path == "/services/\(Self.token)")
    // And neither the body, nor any output, nor the journal holds a secret in any encoding
    var outputs = try await SecretSearch.outputs(
      of: fixture,
      with: ["run": run.stdout + run.stderr, "log jsonl": try await fixture.rawLog()])
    outputs["notification"] = body
    SecretSearch.expectNone(of: [Self.apiKey, Self.tenant, url, Self.token], in: outputs)
  }
}
