import SalvageCore
import SalvageTestSupport
import Testing

/// Pollers remembered after they stop (issue 18): the server lists a task queue's pollers, and
/// refuses to delete their version, for 5 minutes after their last poll.
@Suite struct PollerMemoryTests {
  static let v2 = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2")

  @Test("Stopped pollers stay listed with their last poll for the TTL, then are forgotten")
  func stoppedPollersStayListedWithTheirLastPollForTheTTLThenAreForgotten() async throws {
    // Given two workers polling v2 on a server that remembers pollers for 300 s, one of which
    // stops
    let cluster = ScriptedCluster(current: "v1")
    cluster.rememberPollers(for: 300)
    cluster.setPollers(["worker-a", "worker-b"])
    cluster.stopPollers(["worker-a"])
    let stopped = cluster.now
    // When the server is asked 299 s and 300 s later (each call is a second of server time)
    cluster.advance(seconds: 298)
    let remembered = try await cluster.pollers(of: Self.v2, on: [])
    cluster.advance(seconds: 0)
    let forgotten = try await cluster.pollers(of: Self.v2, on: [])
    // Then the stopped one is listed with its last poll until 300 s have passed, the live one
    // with now, and a delete is refused while either is listed
    #expect(remembered.map(\.identity) == ["worker-a", "worker-b"])
    #expect(remembered.first?.lastAccess == stopped)
    #expect(forgotten.map(\.identity) == ["worker-b"])
    #expect(cluster.pollerLastAccess == ["worker-b": cluster.now])
    await #expect(throws: TemporalError.self) {
      try await cluster.perform(
        .deleteVersion(Self.v2), context: ChangeContext(identity: "t", reason: ""))
    }
  }
}
