import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// A per-run read the namespace's rate limit refuses goes back to the run's one limiter at once,
/// which slows down; the adapter does not send it again by itself first.
@Suite(.tags(.integration), .serialized) struct PacedReadIntegrationTests {
  @Test func aPerRunReadRefusedByTheNamespaceReachesTheLimiterWhichSlowsDown() async throws {
    // Given a server whose namespace takes 15 calls a second (bursts of 30), and one closed run
    let scenario = try await Scenario(dynamicConfig: ["frontend.namespaceRPS=15"])
    try await scenario.badRollout(failed: 1)
    let client = try scenario.client
    let limiter = CallLimiter(
      .init(ceiling: 10_000, maxWidth: 256, initialWidth: 256), clock: ContinuousClock())
    // When 300 describes of it go through the limiter, 256 at once
    let described = try await paced(Array(0..<300), width: 256) { _ in
      try await limiter.run { try await client.describeWorkflow(id: "failed-0", runID: nil) }
    }
    // Then every describe was answered in the end, and the limiter saw the refusals and slowed
    // down (the adapter's own retries hid them from it)
    #expect(described.count == 300)
    let reading = await limiter.reading
    #expect(reading.refused > 0)
    #expect(reading.callsPerSecond < 10_000)
    #expect(reading.width < 256)
  }
}
