import Foundation
import SalvageFakes
import SalvageTestSupport
import SwiftProtobuf
import Testing

@testable import SalvageTemporal

/// What the server says when it refuses a change is journaled (`ActionFailed`): scrubbed of every
/// secret before it is, in every encoding.
@Suite(.tags(.integration)) struct SecretsInTheJournalTests {
  static let apiKey = "journal+api/key=1"
  static let meta = "journal meta&value/2"
  static let keyBody = "MIIEjournalKey+/3"
  static let keyPEM = "-----BEGIN PRIVATE KEY-----\n\(keyBody)\n-----END PRIVATE KEY-----\n"
  static let profileAPIKey = "profile api/key+4"
  static let codecAuth = "Bearer journal-codec+auth/5"
  static let clientSecret = "journal-oauth&secret/6"
  static let accessToken = "journal.access+token=7"
  static let refreshToken = "journal refresh/token+8"
  static let secrets = [
    apiKey, meta, keyPEM, keyBody, profileAPIKey, codecAuth, clientSecret, accessToken,
    refreshToken,
  ]

  /// A deployment whose Current Version is the bad build v2, as `DescribeWorkerDeployment` answers.
  static func badIsCurrent() throws -> [UInt8] {
    var version = Temporal_Api_Deployment_V1_WorkerDeploymentVersion()
    version.deploymentName = "orders"
    version.buildID = "v2"
    var response = Temporal_Api_Workflowservice_V1_DescribeWorkerDeploymentResponse()
    response.conflictToken = Data("token".utf8)
    response.workerDeploymentInfo.name = "orders"
    response.workerDeploymentInfo.routingConfig.currentDeploymentVersion = version
    return try response.serializedBytes()
  }

  @Test func aRefusedChangeIsJournaledWithEverySecretMasked() async throws {
    // Given a server that describes the deployment (v2, the bad build, is Current) and refuses the stop, quoting
    // every header and the key it was never sent
    let server = try await EchoingTemporalServer(
      alsoSays: Self.secrets, answering: ["DescribeWorkerDeployment": try Self.badIsCurrent()])
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // And a profile file with an API key (overridden by the flag: still a secret), codec auth and
    // OAuth values
    let profile = try SecretSearch.profile(
      in: fixture, apiKey: Self.profileAPIKey, codecAuth: Self.codecAuth,
      clientSecret: Self.clientSecret,
      accessToken: Self.accessToken, refreshToken: Self.refreshToken)
    // When the operator runs the runbook with an API key, a gRPC meta value and TLS key data
    let run = try await fixture.salvage(
      "run", "--yes", "--address", "127.0.0.1:\(server.port)", "--tls", "false", "--api-key",
      Self.apiKey,
      "--grpc-meta", "x-tenant=\(Self.meta)",
      environment: [
        "TEMPORAL_TLS_CLIENT_KEY_DATA": Self.keyPEM, "TEMPORAL_CONFIG_FILE": profile,
        "HOME": fixture.directory.url.path,
      ])
    await server.stop()
    // Then the stop was refused, and the refusal is journaled with the secrets masked
    #expect(run.status == 20, "\(run.stdout)\(run.stderr)")
    #expect(server.headers["x-tenant"] == Self.meta)
    let log = try await fixture.salvage("log").stdout
    #expect(log.contains("ActionFailed: stop-1 failed: "), "\(log)")
    #expect(
      log.contains("SetWorkerDeploymentCurrentVersion refused; I heard: ")
        && log.contains("<redacted>"))
    // And no byte of the journal file, and no output, holds any of them in any encoding
    let outputs = try await SecretSearch.outputs(
      of: fixture,
      with: ["log": log, "log jsonl": try await fixture.rawLog(), "run": run.stdout + run.stderr])
    SecretSearch.expectNone(of: Self.secrets, in: outputs)
  }
}
