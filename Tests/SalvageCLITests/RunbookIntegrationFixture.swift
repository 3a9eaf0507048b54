import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// An incident journal about a scenario's bad rollout, driven through the real `salvage` binary.
struct RunbookIncident {
  let fixture: CLIFixture
  let scenario: Scenario
  var flags: [String] {
    ["--address", scenario.address, "--disable-config-file", "--disable-config-env"]
  }

  init(_ scenario: Scenario, id: String = "inc-1") async throws {
    self.scenario = scenario
    fixture = try CLIFixture()
    let opened = try await fixture.salvage(
      "open", "--deployment", "orders", "--bad-build", "bad", "--good-build", "good", "--incident",
      id)
    #expect(opened.status == 0, "\(opened.stderr)")
  }

  /// Runs salvage against the scenario's server.
  @discardableResult
  func salvage(_ arguments: [String], environment: [String: String] = [:]) async throws
    -> SalvageProcess.Result
  {
    try await SalvageProcess.run(
      arguments + flags,
      environment: fixture.environment.merging(environment) { $1 })
  }

  /// Records a decision as an operator would.
  func decide(_ type: String, restartable: Bool, corrupted: Bool = false, target: String? = nil)
    async throws
  {
    var arguments = ["decide", "--type", type, restartable ? "--restartable" : "--no-restartable"]
    if corrupted { arguments.append("--corrupted") }
    if let target { arguments += ["--target-build", target] }
    let result = try await SalvageProcess.run(
      arguments + ["--rationale", "test"], environment: fixture.environment)
    #expect(result.status == 0, "\(result.stderr)")
  }

  /// The types of the incident's events, in order; lease bookkeeping (`Lease*`) is left out
  /// unless asked for, so runbook sequences read the same whoever drove them.
  func eventTypes(leases: Bool = false) async throws -> [String] {
    try await fixture.salvage("log", "--output", "jsonl").stdout.split(separator: "\n").compactMap {
      (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["type"] as? String
    }.filter { leases || !$0.hasPrefix("Lease") }
  }

  /// A native client for the scenario's server, one connection per incident fixture.
  var client: GRPCTemporalClient { get throws { try scenario.client } }

  /// How many executions of `type` completed on `build`.
  func completed(_ type: String, on build: String) async throws -> Int {
    try await client.count(
      .all([
        .equals(.workflowType, type), .equals(.executionStatus, "Completed"),
        .equals(.workerDeploymentVersion, "orders:\(build)"),
      ]))
  }

  /// Whether each `(type, build)` has `count` completed executions.
  func allCompleted(_ expected: [(String, String, Int)]) async throws -> Bool {
    for (type, build, count) in expected where try await completed(type, on: build) != count {
      return false
    }
    return true
  }

  /// Runs per workflow id, for "reset exactly once": an original run plus one reset run.
  func runsPerWorkflow(prefix: String) async throws -> [String: Int] {
    var runs: [String: Int] = [:]
    try await client.list(.startsWith(.workflowID, prefix)) { runs[$0.workflowID, default: 0] += 1 }
    return runs
  }
}
