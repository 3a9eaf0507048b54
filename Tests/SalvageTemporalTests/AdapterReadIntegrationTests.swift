import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// Every read call against a real dev server with a real bad rollout (current mode):
/// 6 stuck (3 OrderWorkflow, 3 PaymentWorkflow), 3 failed, 2 timed out, 2 completed, plus a fixed worker.
@Suite(.tags(.integration), .serialized) struct AdapterReadIntegrationTests {
  static let shared = Task<Scenario, any Error> {
    let scenario = try await Scenario()
    try await scenario.badRollout(
      stuck: 6, stuckTypes: ["OrderWorkflow", "PaymentWorkflow"], failed: 3, timedOut: 2,
      completed: 2)
    try await scenario.startWorker("fixed")
    return scenario
  }

  var scenario: Scenario { get async throws { try await Self.shared.value } }

  @Test func describeDeploymentShowsTheBadBuildAsCurrent() async throws {
    let deployment = try await scenario.client.describeDeployment("orders")
    #expect(deployment.currentBuildID == "bad")
    #expect(deployment.rampingBuildID == nil)
    #expect(Set(deployment.versions.map(\.buildID)) == ["good", "bad", "fixed"])
  }

  @Test func describeVersionShowsTheCurrentBadVersionUndrainedOnItsTaskQueue() async throws {
    let scenario = try await scenario
    let version = try await scenario.client.describeVersion(scenario.version("bad"))
    #expect(version.version == scenario.version("bad"))
    #expect(version.drainage == .unspecified)
    #expect(version.taskQueues.map(\.name) == ["orders-tq"])
  }

  @Test func countFindsTheStuckExecutionsWithTheRunbooksQuery() async throws {
    let scenario = try await scenario
    #expect(try await scenario.client.count(stuckQuery(scenario.version("bad"))) == 6)
    #expect(
      try await scenario.client.count(stuckQuery(scenario.version("bad"), type: "PaymentWorkflow"))
        == 3)
    #expect(try await scenario.client.count(.equals(.workflowType, "NoSuchType")) == 0)
  }

  @Test func groupedCountsSplitTheAffectedExecutionsByStatusAndType() async throws {
    let scenario = try await scenario
    let pinned = VisibilityQuery.equals(
      .workerDeploymentVersion, scenario.version("bad").visibilityValue)
    let byStatus = try await scenario.client.countByStatus(pinned)
    #expect(byStatus == [.running: 6, .failed: 3, .timedOut: 2, .completed: 2])
  }

  @Test func perTypeCountsAreOneQueryPerTypeSinceTheServerGroupsOnlyByStatus() async throws {
    let scenario = try await scenario
    let pinned = VisibilityQuery.equals(
      .workerDeploymentVersion, scenario.version("bad").visibilityValue)
    var perType: [Int] = []
    for type in [
      "OrderWorkflow", "PaymentWorkflow", "FailWorkflow", "TimeoutWorkflow", "QuickWorkflow",
    ] {
      perType.append(try await scenario.client.count(.all([pinned, .equals(.workflowType, type)])))
    }
    #expect(perType == [3, 3, 3, 2, 2])
  }

  @Test func theServerSaysItsVersionAndTheNamespaceItsRetention() async throws {
    let scenario = try await scenario
    #expect(try await scenario.client.serverVersion().hasPrefix("1."))
    let namespace = try await scenario.client.describeNamespace()
    #expect(namespace.name == "default")
    #expect(namespace.retentionSeconds >= 3600)
  }

  @Test func theFirstWorkflowTaskOfAFailedRunIsWhereItsResetGoes() async throws {
    let scenario = try await scenario
    var failed: [WorkflowExecutionSummary] = []
    try await scenario.client.list(
      .all([
        .equals(.workerDeploymentVersion, scenario.version("bad").visibilityValue),
        .equals(.executionStatus, "Failed"),
      ])
    ) { failed.append($0) }
    let run = try #require(failed.first)
    // A run's history starts: started (1), task scheduled (2), started (3), completed (4)
    #expect(try await scenario.client.firstWorkflowTaskEventID(run.workflowID, run.runID) == 4)
  }

  @Test func listStreamsEveryAffectedExecutionWithDecodedAttributes() async throws {
    let scenario = try await scenario
    var seen: [WorkflowExecutionSummary] = []
    try await scenario.client.list(
      .equals(.workerDeploymentVersion, scenario.version("bad").visibilityValue)
    ) {
      seen.append($0)
    }
    #expect(seen.count == 13)
    #expect(seen.allSatisfy { $0.deploymentVersion == scenario.version("bad") })
    #expect(seen.filter { $0.status == .running }.allSatisfy { !$0.reportedProblems.isEmpty })
    #expect(Set(seen.map(\.workflowID)).count == 13)
  }

  @Test func describeWorkflowShowsAStuckRunPinnedToTheBadBuildRetryingItsTask() async throws {
    let scenario = try await scenario
    let workflow = try await scenario.client.describeWorkflow(
      id: "stuck-orderworkflow-0", runID: nil)
    #expect(workflow.status == .running)
    #expect(workflow.versioningBehavior == .pinned)
    #expect(workflow.deploymentVersion == scenario.version("bad"))
    #expect(workflow.overrideVersion == nil)
    #expect(workflow.resetRunID == nil)
  }

  @Test func pollersAreListedPerVersion() async throws {
    let scenario = try await scenario
    for build in ["good", "bad", "fixed"] {
      let queues = try await scenario.client.describeVersion(scenario.version(build)).taskQueues
      let pollers = try await scenario.client.pollers(of: scenario.version(build), on: queues)
      #expect(pollers.count == 1, "\(build): \(pollers)")
      #expect(pollers.first?.identity.hasPrefix("scenario-worker-\(build)@") == true)
    }
  }

  @Test(arguments: [
    "O'Brien Workflow", "x' OR '1'='1", "a'b'c", "ünïcödé 🚀 Workflow", "DROP TABLE executions; --",
    "it's -- not a comment /* */",
  ])
  func hostileWorkflowTypeNamesMatchExactlyThemselves(name: String) async throws {
    // Given a Workflow of that type (no worker needed: it just stays Running)
    let scenario = try await scenario
    let id = try #require(
      try await scenario.start(type: name, count: 1, prefix: "hostile-\(abs(name.hashValue))").first
    )
    // Then an equality query on the name counts exactly it, and a near miss counts nothing
    try await eventually(within: 30, "visibility to show \(id)") {
      try await scenario.client.count(.equals(.workflowType, name)) == 1
    }
    #expect(
      try await scenario.client.count(
        .all([.equals(.workflowType, name), .equals(.workflowID, id)])) == 1)
    #expect(try await scenario.client.count(.equals(.workflowType, name + "x")) == 0)
  }

  /// Backslashes, line breaks, double quotes and single quotes at either end are stored exactly, and the query stays
  /// well-formed, but this dev server (Temporal 1.32 on SQLite) never matches such literals,
  /// however they are escaped (checked by hand: `\\`, `''`, raw). What must hold: the query is
  /// accepted, and it never matches any other execution.
  @Test(arguments: [
    "' OR '1'='1", "O'Brien\\Workflow", "Line\nBreak", "\\'", "'", "x' OR WorkflowType != '",
    "Order\"Workflow\"", "Or\"der Workflow",
  ])
  func valuesTheServerCannotMatchNeverMatchAnythingElse(name: String) async throws {
    let scenario = try await scenario
    let id = try #require(
      try await scenario.start(type: name, count: 1, prefix: "edge-\(abs(name.hashValue))").first)
    try await eventually(within: 30, "visibility to show \(id)") {
      try await scenario.client.count(.equals(.workflowID, id)) == 1
    }
    let total = try await scenario.client.count(
      .any([.equals(.executionStatus, "Running"), .notEquals(.executionStatus, "Running")]))
    #expect(total > 10)
    let matched = try await scenario.client.count(.equals(.workflowType, name))
    #expect(matched <= 1, "a hostile value matched \(matched) executions")
    #expect(
      try await scenario.client.count(
        .all([.equals(.workflowType, name), .notEquals(.workflowID, id)])) == 0)
  }

  @Test func anUnknownDeploymentIsATypedError() async throws {
    await #expect {
      _ = try await scenario.client.describeDeployment("no-such-deployment")
    } throws: { error in
      if case .deploymentNotFound? = error as? TemporalError { return true }
      return false
    }
  }

  @Test func anUnknownVersionIsATypedError() async throws {
    let scenario = try await scenario
    await #expect {
      _ = try await scenario.client.describeVersion(
        .init(deploymentName: "orders", buildID: "nope"))
    } throws: { error in
      if case .versionNotFound? = error as? TemporalError { return true }
      return false
    }
  }

  @Test func aQueryOnAnUnknownAttributeIsATypedError() async throws {
    await #expect {
      _ = try await scenario.client.count(.equals(try SearchAttribute("NoSuchAttribute"), "x"))
    } throws: { error in
      if case .invalidQuery(let message)? = error as? TemporalError {
        return message.contains("NoSuchAttribute")
      }
      return false
    }
  }

  @Test func anUnknownBatchJobIsATypedError() async throws {
    await #expect {
      _ = try await scenario.client.describeBatch(BatchJobID(rawValue: "does-not-exist"))
    } throws: { error in
      if case .batchNotFound? = error as? TemporalError { return true }
      return false
    }
  }

  @Test func aRunsFirstEventNamesTheClientThatStartedItAndWhen() async throws {
    // Given a stuck OrderWorkflow run the scenario's Python client started
    let scenario = try await scenario
    var found: (String, String)?
    try await scenario.client.list(stuckQuery(scenario.version("bad"), type: "OrderWorkflow")) {
      found = ($0.workflowID, $0.runID)
    }
    let (workflowID, runID) = try #require(found)
    // When salvage reads its first event, as a restart's check does of a run it did not start
    let first = try await scenario.client.firstEvent(workflowID: workflowID, runID: runID)
    // Then the server recorded who started it (the Python SDK's pid@host identity) and when
    let identity = try #require(first.startedBy)
    #expect(identity.contains("@"))
    #expect(!identity.hasPrefix("salvage"))
    let at = try #require(first.startedAt)
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    #expect(abs(at.millisecondsSinceEpoch - now) < 3_600_000)
  }
}
