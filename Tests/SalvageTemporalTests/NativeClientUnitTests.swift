import Foundation
import GRPCCore
import SalvageCore
import Testing

@testable import SalvageTemporal

/// The native client's pure parts: scrubbing, the recorded commands, error mapping, conversions.
@Suite struct NativeClientUnitTests {
  @Test func aSecretIsScrubbedInEveryFormAMessageCanCarryIt() {
    // Given a secret and a message that echoes it plainly, in base64, percent-encoded and quoted
    let secret = "s3cr+t/k=y \"x\""
    let base64 = Data(secret.utf8).base64EncodedString()
    let percent = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    let message = "bad key \(secret); b64 \(base64); url \(percent); json \"s3cr+t/k=y \\\"x\\\"\""
    // When it is scrubbed
    let clean = SecretScrubber(secrets: [secret]).scrub(message)
    // Then no form of it is left
    #expect(!clean.contains(secret))
    #expect(!clean.contains(base64))
    #expect(!clean.contains(percent))
    #expect(!clean.contains("s3cr+t"))
    #expect(clean.hasPrefix("bad key <redacted>;"))
  }

  @Test func aShortSecretIsScrubbedToo() {
    #expect(
      SecretScrubber(secrets: ["ab"]).scrub("token ab rejected") == "token <redacted> rejected")
  }

  @Test func theLegacyVersionStringsServersStillFillAreRead() {
    #expect(
      WorkerDeploymentVersion(legacy: "orders.v2") == .init(deploymentName: "orders", buildID: "v2")
    )
    #expect(
      WorkerDeploymentVersion(legacy: "orders:v2.1")
        == .init(deploymentName: "orders", buildID: "v2.1"))
    #expect(WorkerDeploymentVersion(legacy: "__unversioned__") == nil)
    #expect(WorkerDeploymentVersion(legacy: "") == nil)
  }

  @Test(arguments: [
    (
      RPCError(code: .notFound, message: "workflow not found for ID: j"), "DescribeBatchOperation",
      TemporalError.batchNotFound("workflow not found for ID: j")
    ),
    (
      RPCError(code: .resourceExhausted, message: "Max concurrent batch operations is reached"),
      "StartBatchOperation",
      TemporalError.batchLimitReached
    ),
    (
      RPCError(code: .alreadyExists, message: "workflow execution already started"),
      "StartBatchOperation",
      TemporalError.alreadyExists("workflow execution already started")
    ),
    (
      RPCError(code: .unauthenticated, message: "bad key k-123\nmore"), "CountWorkflowExecutions",
      TemporalError.unauthenticated("bad key <redacted>")
    ),
    (
      RPCError(code: .deadlineExceeded, message: "late"), "ResetWorkflowExecution",
      TemporalError.timedOut(call: "ResetWorkflowExecution", seconds: 60)
    ),
    (
      RPCError(code: .resourceExhausted, message: "namespace rate limit exceeded"),
      "ResetWorkflowExecution",
      TemporalError.rateLimited(
        call: "ResetWorkflowExecution", message: "namespace rate limit exceeded")
    ),
    // A message over a size limit is RESOURCE_EXHAUSTED too, but no rate limit: sending it again
    // slower never helps (grpc-swift's words for an answer too large, then grpc-go's server's)
    (
      RPCError(
        code: .resourceExhausted,
        message:
          "Message has exceeded the configured maximum payload size (max: 4194304, actual: 5000000)"
      ),
      "DescribeWorkflowExecution",
      TemporalError.failed(
        call: "DescribeWorkflowExecution", code: "resourceExhausted",
        message:
          "Message has exceeded the configured maximum payload size (max: 4194304, actual: 5000000)"
      )
    ),
    (
      RPCError(
        code: .resourceExhausted,
        message: "grpc: received message larger than max (5000000 vs. 4194304)"),
      "ResetWorkflowExecution",
      TemporalError.failed(
        call: "ResetWorkflowExecution", code: "resourceExhausted",
        message: "grpc: received message larger than max (5000000 vs. 4194304)")
    ),
    // grpc-swift's words: a connection never made sent nothing; one that dropped may have
    (
      RPCError(code: .unavailable, message: "Could not establish a connection to 127.0.0.1:1."),
      "ResetWorkflowExecution",
      TemporalError.unreachable("Could not establish a connection to 127.0.0.1:1.")
    ),
    (
      RPCError(
        code: .unavailable,
        message:
          "Channel is in a transient failure state and 'wait for ready' isn't enabled. The server "
          + "accepted the TCP connection but closed the connection before completing the HTTP/2 "
          + "connection preface."), "DescribeNamespace",
      TemporalError.unreachable(
        "Channel is in a transient failure state and 'wait for ready' isn't enabled. The server "
          + "accepted the TCP connection but closed the connection before completing the HTTP/2 "
          + "connection preface.")
    ),
    (
      RPCError(code: .unavailable, message: "The TCP connection was dropped unexpectedly."),
      "ResetWorkflowExecution",
      TemporalError.failed(
        call: "ResetWorkflowExecution", code: "unavailable",
        message: "The TCP connection was dropped unexpectedly.")
    ),
    (
      RPCError(code: .unavailable, message: "connection closed"), "StartBatchOperation",
      TemporalError.failed(
        call: "StartBatchOperation", code: "unavailable", message: "connection closed")
    ),
  ])
  func serverStatusesBecomeTypedOneLineErrors(
    error: RPCError, call: String, expected: TemporalError
  ) {
    let mapped = TemporalErrorMapping.map(
      error, call: call, deadline: 60, scrubber: SecretScrubber(secrets: ["k-123"]))
    #expect(mapped == expected)
  }

  @Test func aChangeThatMayHaveActedIsInDoubtAndOneThatWasRefusedIsNot() {
    #expect(TemporalError.timedOut(call: "StartBatchOperation", seconds: 60).mayHaveActed)
    #expect(
      TemporalError.failed(call: "StartBatchOperation", code: "unavailable", message: "")
        .mayHaveActed)
    #expect(!TemporalError.alreadyExists("x").mayHaveActed)
    #expect(!TemporalError.unauthenticated("x").mayHaveActed)
  }

  @Test func theRecordedCommandIsTheTemporalCommandForTheSameEffect() throws {
    // Given the commands for a ramp removal and a recovery batch
    let line = TemporalCommandLine(address: "127.0.0.1:7233", namespace: "default")
    let context = ChangeContext(identity: "salvage/inc-1/stop-2", reason: "salvage inc-1: stop")
    let observed = RolloutObserved(currentBuild: "v1", rampingBuild: "v2", rampPercentage: 0)
    let remove = try line.command(
      for: .removeRamp(deployment: "orders", replacing: observed), context: context)
    // Then the ramp is removed without --build-id (with it, --delete is a silent no-op)
    #expect(
      remove == [
        "temporal", "worker", "deployment", "set-ramping-version", "--deployment-name", "orders",
        "--delete", "--yes",
        "--address", "127.0.0.1:7233", "--namespace", "default", "--identity",
        "salvage/inc-1/stop-2",
      ])
    let batch = try line.command(
      for: .updateOptions(
        query: .equals(.workflowType, "O'Brien"),
        pinTo: .init(deploymentName: "orders", buildID: "v3"),
        job: BatchJobID(rawValue: "salvage/inc-1/recover-1")),
      context: context)
    #expect(batch.contains("WorkflowType = 'O\\'Brien'"))
    #expect(batch.contains("--versioning-override-build-id") && batch.contains("v3"))
  }

  @Test func aOneTimeOverrideIsSentAsOneTimeAndRecordedWithTheCLIsOneTimeBehavior() throws {
    // Given a recovery batch whose type was decided with one-time overrides
    let v3 = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v3")
    let context = ChangeContext(
      identity: "salvage/inc-1/recover-P-1", reason: "salvage inc-1: recover P",
      overrides: .oneTime)
    // When its override and its command are made
    let override = GRPCTemporalClient.versioningOverride(v3, context.overrides)
    let command = try TemporalCommandLine(address: "127.0.0.1:7233", namespace: "default")
      .command(
        for: .updateOptions(
          query: .equals(.workflowType, "P"), pinTo: v3,
          job: BatchJobID(rawValue: "salvage/inc-1/recover-P-1")),
        context: context)
    // Then the override is one_time to v3 (never pinned), and the command says one_time
    guard case .oneTime(let oneTime)? = override.override else {
      Issue.record("expected a one-time override, got \(override)")
      return
    }
    #expect(oneTime.targetDeploymentVersion.deploymentName == "orders")
    #expect(oneTime.targetDeploymentVersion.buildID == "v3")
    #expect(override.behavior == .unspecified)
    let behavior = try #require(command.firstIndex(of: "--versioning-override-behavior"))
    #expect(command[behavior + 1] == "one_time")
    // And a pinned one stays pinned
    guard case .pinned(let pinned)? = GRPCTemporalClient.versioningOverride(v3, .pinned).override
    else {
      Issue.record("expected a pinned override")
      return
    }
    #expect(pinned.behavior == .pinned && pinned.version.buildID == "v3")
  }
}

@Suite struct EndpointTests {
  @Test func aResolvedAPIKeyBecomesBearerMetadataOverTLSWithItsSecretsKnown() throws {
    // Given an API key and a gRPC meta header from the environment
    let resolved = try ConnectionResolver(
      environment: [
        "TEMPORAL_ADDRESS": "temporal.example:7233", "TEMPORAL_API_KEY": "key-1",
        "TEMPORAL_GRPC_META_X_TENANT": "acme", "HOME": "/nonexistent",
      ]
    ).resolve(ConnectionFlags())
    // When it becomes the endpoint
    let endpoint = GRPCEndpoint(resolved, credentials: try resolved.tls?.loadCredentials())
    // Then TLS is on, the key goes as bearer authorization, and both values are secrets to scrub
    #expect(endpoint.host == "temporal.example")
    #expect(endpoint.port == 7233)
    #expect(endpoint.tls != nil)
    #expect(endpoint.headers.contains { $0 == ("authorization", "Bearer key-1") })
    #expect(endpoint.headers.contains { $0 == ("x-tenant", "acme") })
    #expect(Set(endpoint.secrets) == ["key-1", "acme"])
  }

  @Test func inlineClientCredentialsAreCarriedAsPEMData() throws {
    var flags = ConnectionFlags()
    flags.address = "127.0.0.1:7233"
    flags.tlsCertData = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
    flags.tlsKeyData = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
    flags.tlsServerName = "temporal.internal"
    let resolved = try ConnectionResolver(environment: ["HOME": "/nonexistent"]).resolve(flags)
    let endpoint = GRPCEndpoint(resolved, credentials: try resolved.tls?.loadCredentials())
    #expect(endpoint.tls?.clientCertificate == .data(flags.tlsCertData ?? ""))
    #expect(endpoint.tls?.clientKey == .data(flags.tlsKeyData ?? ""))
    #expect(endpoint.tls?.serverName == "temporal.internal")
    #expect(endpoint.secrets.contains(flags.tlsKeyData ?? "-"))
  }
}

@Suite struct DeploymentStateTests {
  @Test func aDescribedDeploymentNamesItsManagerItsRoutingStateAndReadsLegacyVersions() {
    // Given a describe where only the deprecated version strings are filled, a controller manages
    // the deployment, and a routing change is still reaching the task queues
    var response = Temporal_Api_Workflowservice_V1_DescribeWorkerDeploymentResponse()
    response.conflictToken = Data([1, 2, 3])
    response.workerDeploymentInfo.name = "orders"
    response.workerDeploymentInfo.routingConfig.currentVersion = "orders.v1"
    response.workerDeploymentInfo.routingConfig.rampingVersion = "__unversioned__"
    response.workerDeploymentInfo.managerIdentity = "worker-controller"
    response.workerDeploymentInfo.routingConfigUpdateState = .inProgress
    // When it is read
    let state = DeploymentState(response, name: "orders") { $0 }
    // Then Current is v1, nothing ramps, and a change must name the manager and wait for routing
    #expect(state.description.currentBuildID == "v1")
    #expect(state.description.rampingBuildID == nil)
    #expect(state.managerIdentity == "worker-controller")
    #expect(!state.routingUpdateCompleted)
    #expect(state.conflictToken == [1, 2, 3])
  }
}

@Suite struct PayloadValueTests {
  @Test(arguments: [
    (#""orders:bad""#, SearchAttributeValue.string("orders:bad")),
    (
      #"["category=WorkflowTaskFailed","cause=x"]"#,
      .list([.string("category=WorkflowTaskFailed"), .string("cause=x")])
    ),
    ("[]", .list([])),
    ("true", .bool(true)),
    ("12.5", .number(12.5)),
    (#""say \"hi\"""#, .string("say \"hi\"")),
    (#"{"a":[1,false]}"#, .object(["a": .list([.number(1), .bool(false)])])),
  ])
  func searchAttributePayloadsReadTheSameByTheFastPathAndByJSONDecoder(
    json: String, expected: SearchAttributeValue
  ) {
    var payload = Temporal_Api_Common_V1_Payload()
    payload.metadata["encoding"] = Data("json/plain".utf8)
    payload.data = Data(json.utf8)
    #expect(PayloadValues.decode(payload) == expected)
  }

  /// Found by tools/fuzz: `Double(String)` reads "nan", "inf", "0x10" and "+1", and a string with
  /// bytes that are not UTF-8 was repaired, where JSON refuses all of them.
  @Test(
    arguments: ["nan", "inf", "-infinity", "0x10", "+1", "01", "1.", ".5", "1e", "1e400"].map {
      Array($0.utf8)
    }
      + [[0x22, 0x61, 0xFF, 0x22], [0x5B, 0x22, 0xC3, 0x22, 0x5D]])
  func bytesJSONRefusesAreNotReadByTheFastPath(bytes: [UInt8]) {
    // Given a search attribute payload that is not JSON, when it is read, then nothing is read
    var payload = Temporal_Api_Common_V1_Payload()
    payload.metadata["encoding"] = Data("json/plain".utf8)
    payload.data = Data(bytes)
    #expect(PayloadValues.simple(payload.data) == nil)
    #expect(PayloadValues.decode(payload) == nil)
  }
}
