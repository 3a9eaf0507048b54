import SalvageCore
import SalvageTestSupport
import Testing

/// Drainage on the server's clocks (issue 18): refreshed every 180 s after a 180 s grace, and no
/// longer sticky once something is pinned to the version again (servers 1.31+).
@Suite struct DrainageClockTests {
  @Test("The drainage clock checks a grace after the version left routing, then every refresh")
  func theDrainageClockChecksAGraceAfterTheVersionLeftRoutingThenEveryRefresh() async throws {
    // Given a cluster on the server's drainage clocks (refresh 180 s, grace 180 s) whose bad
    // version v2 is no longer routed to, and a run pinned to v2 that ends 10 s after that
    let cluster = ScriptedCluster(current: "v1")
    cluster.drainage(refreshEvery: 180, grace: 180)
    cluster.add("OrderWorkflow", .running, count: 1)
    let v2 = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2")
    let left = try await cluster.describeVersion(v2)
    cluster.advance(seconds: 10)
    cluster.end("orderworkflow-0", as: .completed)
    // When the server is asked just before its first check, at it, and at the next
    cluster.advance(seconds: 165)
    let beforeFirstCheck = try await cluster.describeVersion(v2)
    cluster.advance(seconds: 5)
    let atFirstCheck = try await cluster.describeVersion(v2)
    cluster.advance(seconds: 180)
    let atSecondCheck = try await cluster.describeVersion(v2)
    // Then it is draining from when it left routing, still draining at the first check (the run
    // ended less than 180 s before), and drained at the second, each check moving
    // last_checked_time and the change moving last_changed_time
    #expect(left.drainage == .draining)
    #expect(beforeFirstCheck.drainage == .draining)
    #expect(beforeFirstCheck.drainageCheckedAt == left.drainageCheckedAt)
    #expect(atFirstCheck.drainage == .draining)
    #expect(try seconds(from: left.drainageCheckedAt, to: atFirstCheck.drainageCheckedAt) == 180)
    #expect(atFirstCheck.drainageChangedAt == left.drainageChangedAt)
    #expect(atSecondCheck.drainage == .drained)
    #expect(try seconds(from: left.drainageCheckedAt, to: atSecondCheck.drainageCheckedAt) == 360)
    #expect(atSecondCheck.drainageChangedAt == atSecondCheck.drainageCheckedAt)
  }

  @Test("A drained version is draining again as soon as something is pinned to it")
  func aDrainedVersionIsDrainingAgainAsSoonAsSomethingIsPinnedToIt() async throws {
    // Given a bad version v2 that drained on the server's clocks
    let cluster = ScriptedCluster(current: "v1")
    cluster.drainage(refreshEvery: 180, grace: 180)
    let v2 = WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2")
    cluster.advance(seconds: 200)
    let drained = try await cluster.describeVersion(v2)
    // When a run is pinned to it again, and its delete is asked for
    cluster.add("ManualWorkflow", .running, count: 1, prefix: "pinned-again")
    let again = try await cluster.describeVersion(v2)
    let delete = await #expect(throws: TemporalError.self) {
      try await cluster.perform(
        .deleteVersion(v2), context: ChangeContext(identity: "t", reason: ""))
    }
    // Then it reports draining at once, and the delete is refused as the server refuses it
    #expect(drained.drainage == .drained)
    #expect(again.drainage == .draining)
    #expect(delete?.description.contains("cannot be deleted since it is draining") == true)
    #expect(cluster.builds.contains("v2"))
    #expect(cluster.deletions.isEmpty)
  }

  func seconds(from start: UTCTime?, to end: UTCTime?) throws -> Int64 {
    let start = try #require(start)
    let end = try #require(end)
    return (end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000
  }
}
