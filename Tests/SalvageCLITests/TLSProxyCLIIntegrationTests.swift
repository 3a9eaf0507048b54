import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// The `salvage` binary over TLS with an API key, through the real proxy of ``TLSLab``: a refused
/// key stops it with exit 20 and one line, and the key is never printed or journaled.
@Suite(.tags(.integration), .serialized) struct TLSProxyCLIIntegrationTests {
  @Test func aRefusedAPIKeyIsOneLineAndExit20AndTheRightKeyStopsTheRollout() async throws {
    // Given the bad build Current with stuck Workflows behind the proxy's API key block
    let lab = try await TLSLab.shared()
    let fixture = try CLIFixture()
    let opened = try await fixture.run([
      "open", "--deployment", "orders", "--bad-build", "bad", "--good-build", "good", "--incident",
      "tls-1",
    ])
    #expect(opened.status == 0, "\(opened.stderr)")
    let connection = [
      "--address", lab.proxy.keyAddress, "--tls-ca-path", lab.proxy.caPath, "--disable-config-file",
    ]
    let wrong = "wrong-key-\(UUID().uuidString)"

    // When the operator runs the stop step with a key the proxy refuses
    let refused = try await fixture.run(
      ["run", "--until", "stopped", "--yes"] + connection, environment: ["TEMPORAL_API_KEY": wrong])

    // Then salvage exits 20 with exactly one line naming the refusal
    #expect(refused.status == 20, "\(refused.stderr)")
    let lines = refused.stderr.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 2 && lines.last == "", "not one line: \(refused.stderr)")
    #expect(refused.stderr.hasPrefix("salvage: "))
    #expect(
      refused.stderr.contains(
        "Temporal refused the credentials: the API key is missing or not valid"))
    // And the key is in neither output, nor the journal's bytes, its log or its timeline
    #expect(!refused.stderr.contains(wrong) && !refused.stdout.contains(wrong))
    #expect(try !fixture.journalBytes().contains(Data(wrong.utf8)))
    #expect(try await !fixture.run(["log", "--output", "jsonl"]).stdout.contains(wrong))
    #expect(try await !fixture.run(["timeline", "--format", "json"]).stdout.contains(wrong))
    // And nothing changed on the server
    #expect(try await lab.scenario.client.describeDeployment("orders").currentBuildID == "bad")

    // When the operator runs it again with the right key
    let stopped = try await fixture.run(
      ["run", "--until", "stopped", "--yes"] + connection,
      environment: ["TEMPORAL_API_KEY": lab.proxy.apiKey])

    // Then the stop step succeeds: Current is back on the good build, and the key was not journaled
    #expect(stopped.status == 0, "\(stopped.stderr)")
    #expect(stopped.stdout.contains("reached stopped"))
    #expect(try await lab.scenario.client.describeDeployment("orders").currentBuildID == "good")
    #expect(
      !stopped.stderr.contains(lab.proxy.apiKey) && !stopped.stdout.contains(lab.proxy.apiKey))
    #expect(try !fixture.journalBytes().contains(Data(lab.proxy.apiKey.utf8)))
    #expect(try await !fixture.run(["log", "--output", "jsonl"]).stdout.contains(lab.proxy.apiKey))
    #expect(try await fixture.run(["verify"]).status == 0)
  }
}

extension CLIFixture {
  /// Runs `salvage` against this fixture's journal (``salvage(_:environment:)`` with an array).
  func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws
    -> SalvageProcess.Result
  {
    try await SalvageProcess.run(arguments, environment: environment.merging(extra) { $1 })
  }

  /// The raw bytes of the journal's SQLite files (the database, its `-wal` and `-shm`).
  func journalBytes() throws -> Data {
    var bytes = Data()
    for suffix in ["", "-wal", "-shm"]
    where FileManager.default.fileExists(atPath: journal + suffix) {
      bytes.append(try Data(contentsOf: URL(fileURLWithPath: journal + suffix)))
    }
    return bytes
  }
}
