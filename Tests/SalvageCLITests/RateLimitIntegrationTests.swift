import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// A namespace rate limit on a real dev server slows salvage down instead of stopping it.
@Suite(.tags(.integration), .serialized) struct RateLimitIntegrationTests {
  @Test func closedResetsAboveTheNamespaceRateLimitAreSlowedDownNotFailed() async throws {
    // Given 30 failed runs on the bad build, drained, on a server whose namespace takes 15 calls a
    // second (bursts of 30), while salvage is let go at 500 a second
    let scenario = try await Scenario(dynamicConfig: ["frontend.namespaceRPS=15"])
    try await scenario.badRollout(failed: 30)
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    // When salvage runs to the end
    let result = try await incident.salvage(["run", "--yes", "--rps", "500", "--poller-wait", "30"])
    // Then it finished: every failed run was reset exactly once, nothing recorded failed
    #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
    let runs = try await incident.runsPerWorkflow(prefix: "failed-")
    #expect(runs.count == 30)
    #expect(runs.values.allSatisfy { $0 == 2 }, "\(runs)")
    #expect(try await incident.fixture.salvage("status").stdout.contains("phase       cleaned"))
  }
}
