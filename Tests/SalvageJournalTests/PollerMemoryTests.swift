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

/// What an operator expects of a run against pollers the server remembers after they stop.
extension PollerMemoryTests {
  @Test("A run does not delete v2 while stopped pollers are listed, and finishes once forgotten")
  func aRunDoesNotDeleteWhileStoppedPollersAreListedAndFinishesOnceForgotten() async throws {
    // Given a bad rollout whose two v2 workers stopped just before salvage ran, on a server that
    // remembers pollers for 300 s
    let world = try RunbookInProcess()
    world.cluster.rememberPollers(for: 300)
    world.cluster.setPollers(["worker-v2-a", "worker-v2-b"])
    world.cluster.stopPollers()
    let stopped = world.cluster.now.millisecondsSinceEpoch
    // When salvage runs the incident (it waits up to 300 s for pollers to go)
    let outcome = try await world.runner().run()
    // Then it finished, having seen the stopped workers listed and then gone
    #expect(outcome == .finished)
    #expect(try world.pollerChecks == [["worker-v2-a", "worker-v2-b"], []])
    // And it sent one delete, once the server had forgotten them
    #expect(world.cluster.changes.filter(\.isDelete).count == 1)
    let deleted = try #require(world.cluster.deletions.first).at.millisecondsSinceEpoch
    #expect(deleted - stopped >= 300_000)
  }

  @Test("A poller wait shorter than the TTL asks the operator, and a later run finishes")
  func aPollerWaitShorterThanTheTTLAsksTheOperatorAndALaterRunFinishes() async throws {
    // Given stopped v2 workers the server remembers for 300 s, and a run that waits for pollers
    // 0.5 s at 0.01 s a look (about 50 s of server time)
    let world = try RunbookInProcess()
    world.cluster.rememberPollers(for: 300)
    world.cluster.setPollers(["worker-v2-a"])
    world.cluster.stopPollers()
    // When salvage runs the incident
    let first = try await world.runner(pollerWait: 0.5).run()
    // Then it stops asking for the listed worker to go, with v2 not deleted nor sent a delete
    #expect(first == .needsPollersGone(["worker-v2-a"]))
    #expect(world.cluster.builds.contains("v2"))
    #expect(world.cluster.changes.filter(\.isDelete).isEmpty)
    // When the operator runs it again five minutes later
    world.cluster.advance(seconds: 300)
    let second = try await world.runner(pollerWait: 0.5).run()
    // Then it finished with one delete, and no closed run reset twice
    #expect(second == .finished)
    #expect(world.cluster.deletions.count == 1)
    #expect(world.cluster.changes.filter(\.isDelete).count == 1)
    let resets = world.cluster.resetsPerRun
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    #expect(closed.map { resets[$0] ?? 0 } == [1, 1, 1, 1, 1])
  }
}

extension TemporalChange {
  /// A version's delete.
  fileprivate var isDelete: Bool {
    if case .deleteVersion = self { true } else { false }
  }
}
