import Foundation
import SalvageCore
import SalvageTemporal
import SalvageTestSupport
import Testing

/// An incident journal about a scenario's bad rollout, driven through the real `salvage` binary.
struct RunbookIncident {
  let fixture: CLIFixture
  let scenario: Scenario
  var flags: [String] { ["--address", scenario.address, "--isolated"] }

  init(_ scenario: Scenario, id: String = "inc-1") throws {
    self.scenario = scenario
    fixture = try CLIFixture()
    let opened = try fixture.salvage(
      "open", "--deployment", "orders", "--bad-build", "bad", "--good-build", "good", "--incident", id)
    #expect(opened.status == 0, "\(opened.stderr)")
  }

  /// Runs salvage with the scenario's server and `temporal`.
  @discardableResult
  func salvage(_ arguments: [String], environment: [String: String] = [:]) throws -> SalvageProcess.Result {
    try SalvageProcess.run(
      arguments + flags,
      environment: fixture.environment.merging(["SALVAGE_TEMPORAL": scenario.temporal]) { $1 }
        .merging(environment) { $1 })
  }

  /// Records a decision as an operator would.
  func decide(_ type: String, restartable: Bool, corrupted: Bool = false, target: String? = nil) throws {
    var arguments = ["decide", "--type", type, restartable ? "--restartable" : "--no-restartable"]
    if corrupted { arguments.append("--corrupted") }
    if let target { arguments += ["--target-build", target] }
    let result = try SalvageProcess.run(arguments + ["--rationale", "test"], environment: fixture.environment)
    #expect(result.status == 0, "\(result.stderr)")
  }

  /// The types of the incident's events, in order; lease bookkeeping (`Lease*`) is left out
  /// unless asked for, so runbook sequences read the same whoever drove them.
  func eventTypes(leases: Bool = false) throws -> [String] {
    try fixture.salvage("log", "--output", "jsonl").stdout.split(separator: "\n").compactMap {
      (try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["type"] as? String
    }.filter { leases || !$0.hasPrefix("Lease") }
  }

  var client: ProcessTemporalClient {
    var connection = TemporalConnection(executable: scenario.temporal, address: scenario.address, namespace: "default")
    connection.isolated = true
    return ProcessTemporalClient(connection: connection)
  }

  /// How many executions of `type` completed on `build`.
  func completed(_ type: String, on build: String) throws -> Int {
    try client.count(.all([
      .equals(.workflowType, type), .equals(.executionStatus, "Completed"),
      .equals(.workerDeploymentVersion, "orders:\(build)"),
    ]))
  }

  /// Runs per workflow id, for "reset exactly once": an original run plus one reset run.
  func runsPerWorkflow(prefix: String) throws -> [String: Int] {
    var runs: [String: Int] = [:]
    try client.list(.startsWith(.workflowID, prefix)) { runs[$0.workflowID, default: 0] += 1 }
    return runs
  }
}
