import SalvageCore
import SalvageTemporal
import Testing

@Suite struct TemporalArgumentsTests {
  let arguments = TemporalArguments(connection: TemporalConnection(address: "127.0.0.1:7233", namespace: "payments"))
  let context = ChangeContext(identity: "salvage/inc-1/recover-order", reason: "inc-1: move stuck OrderWorkflow")
  let good = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v1")

  @Test func resetWithMoveIsTheRunbooksCommandWithIdentityAndJSON() {
    let argv = arguments.resetWithMove(query: "Q", to: .firstWorkflowTask, pinTo: good, context: context)
    #expect(argv == [
      "temporal", "workflow", "reset", "with-workflow-update-options", "--query", "Q",
      "--type", "FirstWorkflowTask", "--reapply-exclude", "All", "--reason", "inc-1: move stuck OrderWorkflow",
      "--versioning-override-behavior", "pinned", "--versioning-override-deployment-name", "orders",
      "--versioning-override-build-id", "v1", "--yes", "--address", "127.0.0.1:7233", "--namespace", "payments",
      "--identity", "salvage/inc-1/recover-order", "--output", "json",
    ])
  }

  @Test func updateOptionsPinsWithReasonAndIdentity() {
    let argv = arguments.updateOptions(query: "Q", pinTo: good, context: context)
    #expect(argv.starts(with: ["temporal", "workflow", "update-options", "--query", "Q"]))
    #expect(argv.contains("--reason") && argv.contains("--identity") && argv.contains("--yes"))
  }

  @Test func removingARampNeverPassesABuildID() {
    let argv = arguments.removeRamp(deployment: "orders", context: context)
    #expect(argv.starts(with: ["temporal", "worker", "deployment", "set-ramping-version", "--deployment-name", "orders", "--delete", "--yes"]))
    #expect(!argv.contains("--build-id"))
  }

  @Test func aWholePercentageIsWrittenWithoutDecimals() {
    #expect(arguments.setRampingVersion(good, percentage: 0, context: context).contains("0"))
    #expect(arguments.setRampingVersion(good, percentage: 12.5, context: context).contains("12.5"))
  }

  @Test func listStreamsJSONLines() {
    #expect(arguments.list("Q").suffix(2) == ["--output", "jsonl"])
  }

  @Test func connectionSettingsPassThroughAndAnIsolatedClientIgnoresUserConfig() {
    var connection = TemporalConnection(executable: "/opt/temporal", address: "host:7233", namespace: "ns")
    connection.profile = "prod"
    connection.environmentName = "staging"
    connection.tls = true
    connection.tlsCertPath = "client.pem"
    connection.tlsKeyPath = "client.key"
    connection.tlsCAPath = "ca.pem"
    connection.tlsServerName = "temporal.internal"
    connection.isolated = true
    #expect(connection.flags == [
      "--address", "host:7233", "--namespace", "ns", "--profile", "prod", "--env", "staging", "--tls",
      "--tls-cert-path", "client.pem", "--tls-key-path", "client.key", "--tls-ca-path", "ca.pem",
      "--tls-server-name", "temporal.internal", "--disable-config-file", "--disable-config-env",
    ])
    #expect(TemporalArguments(connection: connection).count("Q").first == "/opt/temporal")
  }

  @Test func noFlagIsPassedThatTheOperatorDidNotSet() {
    #expect(TemporalConnection().flags.isEmpty)
  }

  @Test func secretsAreRedactedInBothFlagForms() {
    let argv = [
      "temporal", "workflow", "count", "--api-key", "sk-live-123", "--tls-key-data=-----BEGIN KEY-----",
      "--grpc-meta", "authorization=Bearer abc", "--codec-auth", "tok", "--address", "h:1",
    ]
    #expect(ArgumentRedactor.redact(argv) == [
      "temporal", "workflow", "count", "--api-key", "<redacted>", "--tls-key-data=<redacted>",
      "--grpc-meta", "<redacted>", "--codec-auth", "<redacted>", "--address", "h:1",
    ])
  }

  @Test func aKnownSecretIsScrubbedFromFreeText() {
    #expect(ArgumentRedactor.scrub("denied for key sk-live-123", secrets: ["sk-live-123"]) == "denied for key <redacted>")
  }
}

@Suite struct SecretScrubbingTests {
  @Test func anAPIKeyFromTheEnvironmentNeverAppearsInAnErrorMessage() throws {
    // Given a CLI whose error echoes the key it was given
    let runner = ScriptedCommandRunner()
    let key = "tmprl-live-key-4f1c"
    runner.answerStderr("Error: request failed: unauthorized for api key \(key) on namespace payments")
    let client = ProcessTemporalClient(
      connection: TemporalConnection(), runner: runner, environment: ["TEMPORAL_API_KEY": key])
    // When a call fails, then the message keeps its meaning but not the key
    #expect {
      _ = try client.count(.equals(.workflowType, "X"))
    } throws: { error in
      let text = String(describing: error)
      return !text.contains(key) && text.contains("unauthorized for api key <redacted>")
    }
    // And the key was never on the argv either
    #expect(runner.recorded.allSatisfy { !$0.joined(separator: " ").contains(key) })
  }
}
