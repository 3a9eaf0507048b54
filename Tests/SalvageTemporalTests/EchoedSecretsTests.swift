import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// The real client against a server that quotes every header back: no call's error shows a secret.
@Suite(.tags(.integration)) struct EchoedSecretsTests {
  static let apiKey = "api+key/1="
  static let tenant = "tenant&<2>"
  static let codecAuth = "codec auth+3"

  @Test func everyCallsErrorIsScrubbedOfEverySecretTheServerEchoes() async throws {
    // Given a server that refuses every call quoting the headers, and a secret it was never sent
    let server = try await EchoingTemporalServer(alsoSays: [Self.codecAuth])
    let endpoint = GRPCEndpoint(
      host: "127.0.0.1", port: server.port, namespace: "default",
      headers: [("x-tenant", Self.tenant), ("authorization", "Bearer \(Self.apiKey)")],
      secrets: [Self.apiKey, Self.tenant, Self.codecAuth])
    let version = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2")
    let context = ChangeContext(identity: "salvage/inc-1/x", reason: "test")
    // When each kind of call is made
    let messages = try await GRPCTemporalClient.withClient(endpoint) { client in
      let calls: [@Sendable () async throws -> Void] = [
        { _ = try await client.describeDeployment("orders") },
        { _ = try await client.describeVersion(version) },
        { _ = try await client.describeNamespace() },
        { _ = try await client.count(.equals(.workflowType, "T")) },
        { try await client.list(.equals(.workflowType, "T")) { _ in } },
        { _ = try await client.describeBatch(BatchJobID(rawValue: "job")) },
        { _ = try await client.describeWorkflow(id: "w", runID: nil) },
        { _ = try await client.pollers(of: version, on: [.init(name: "q", type: "workflow")]) },
        { _ = try await client.perform(.deleteVersion(version), context: context) },
        {
          _ = try await client.perform(
            .resetRun(workflowID: "w", runID: "r", pinTo: version, requestID: "q"), context: context
          )
        },
      ]
      var messages: [String] = []
      for call in calls {
        do {
          try await call()
        } catch {
          messages.append("\(error)")
        }
      }
      return messages
    }
    await server.stop()
    // Then every call failed quoting the server, and no message holds any encoding of a secret
    #expect(messages.count == 10)
    #expect(server.headers["x-tenant"] == Self.tenant)
    for message in messages {
      #expect(message.contains("refused; I heard: "), "\(message)")
      for secret in [Self.apiKey, Self.tenant, Self.codecAuth] {
        for encoded in EchoingTemporalServer.encodings(of: secret) {
          #expect(!message.contains(encoded), "\(message)")
        }
      }
    }
  }
}
