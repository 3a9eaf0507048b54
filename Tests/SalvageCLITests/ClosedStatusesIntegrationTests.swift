import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// Closed statuses chosen per type, and the compensation list, on a real dev server with real workers.
@Suite(.tags(.integration), .serialized) struct ClosedStatusesIntegrationTests {
  @Test func aCompletedTypeIsResetOnlyWhenChosenAndTheTargetsListNamesEveryRunTouched() async throws
  {
    // Given a Current rollout: 1 OrderWorkflow stuck, 1 FailWorkflow failed, 2 QuickWorkflow
    // completed on the bad build, its workers stopped and a fixed build deployed
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1, failed: 1, completed: 2)
    try await scenario.startWorker("fixed")
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    // When the operator chooses Completed for QuickWorkflow (Failed stays the default elsewhere)
    try await incident.decide("OrderWorkflow", restartable: true)
    let chosen = try await incident.fixture.salvage(
      "decide", "--type", "QuickWorkflow", "--restartable", "--closed-statuses", "Completed")
    #expect(chosen.status == 0, "\(chosen.stderr)")
    let run = try await incident.salvage(["run", "--yes"])
    #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
    // Then the Completed runs and the Failed one were each reset exactly once
    try await eventually(within: 90, "the reset runs to complete on good") {
      try await incident.allCompleted([("QuickWorkflow", "good", 2), ("FailWorkflow", "good", 1)])
    }
    #expect(
      try await incident.runsPerWorkflow(prefix: "completed-") == [
        "completed-0": 2, "completed-1": 2,
      ])
    #expect(try await incident.runsPerWorkflow(prefix: "failed-") == ["failed-0": 2])
    // And the compensation list names the 4 runs touched: the recovered one, with its batch job
    // and no new run, and the 3 closed resets with their new runs
    let csv = try await incident.fixture.salvage("targets", "--format", "csv")
    #expect(csv.status == 0, "\(csv.stderr)")
    let rows = csv.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
      .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    #expect(
      rows.map { "\($0[0]) \($0[2]) \($0[3])" }.sorted() == [
        "completed-0 Completed reset", "completed-1 Completed reset", "failed-0 Failed reset",
        "stuck-orderworkflow-0 Running reset-with-move",
      ])
    #expect(
      rows.allSatisfy {
        $0[3] == "reset" ? !$0[5].isEmpty && $0[6].isEmpty : $0[5].isEmpty && !$0[6].isEmpty
      })
  }
}
