import SalvageCore
import SalvageFakes
import Synchronization
import Testing

/// Drainage on the server's clocks: refreshed every 180 s after a 180 s grace, and no
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

/// What an operator expects of a run against drainage on the server's clocks.
extension DrainageClockTests {
  static let everyAction = [
    "stop-1", "recover-OrderWorkflow-1", "recover-PaymentWorkflow-1", "reset-closed-0-1",
    "reset-closed-1-1", "reset-closed-2-1", "clean-up-1",
  ]

  @Test("A run waits out a 180 s refresh and grace, then reaches cleaned with each step once")
  func aRunWaitsOutARefreshAndGraceThenReachesCleanedWithEachStepOnce() async throws {
    // Given a bad rollout on a server whose drainage is checked every 180 s after a 180 s grace
    let world = try RunbookInProcess()
    world.cluster.drainage(refreshEvery: 180, grace: 180)
    // When salvage runs the incident
    let outcome = try await world.runner().run()
    // Then it finished, cleaned
    #expect(outcome == .finished)
    let state = try #require(try world.state)
    #expect(state.phase == .cleaned)
    // And it waited: draining was observed first, and the drained it acted on was checked at least
    // a grace after the last recovery
    let observed = try world.drainageObservations
    #expect(observed.first?.drainage == .draining)
    #expect(observed.last?.drainage == .drained)
    let lastRecovery = try #require(state.progress.lastRecoveryAt).millisecondsSinceEpoch
    let drainedAt = try #require(observed.last?.checkedAt).millisecondsSinceEpoch
    #expect(drainedAt - lastRecovery >= 180_000)
    // And no run-once step was repeated: one action each, every stuck and closed run reset once,
    // and v2 deleted once, drained with nothing pinned
    #expect(state.progress.actions.map(\.id) == Self.everyAction)
    let resets = world.cluster.resetsPerRun
    let runs =
      world.runIDs("OrderWorkflow") + world.runIDs("FailWorkflow")
      + world.runIDs("TimeoutWorkflow")
    #expect(runs.map { resets[$0] ?? 0 } == Array(repeating: 1, count: 8))
    #expect(world.cluster.deletions.map(\.drainage) == [.drained])
    #expect(world.cluster.deletions.map(\.pinnedRunning) == [0])
  }

  @Test("A drain wait says what it waits for: when the server last checked, and how often it does")
  func aDrainWaitSaysWhatItWaitsForWhenTheServerLastCheckedAndHowOftenItDoes() async throws {
    // Given a bad rollout on a server whose drainage is checked every 180 s after a 180 s grace,
    // and a run that looks every 5 s of its own clock (each look is 2 s of server time)
    let world = try RunbookInProcess()
    world.cluster.drainage(refreshEvery: 180, grace: 180)
    let notices = Mutex<[RunbookRunner.Notice]>([])
    let waits = Mutex<[DrainageWait]>([])
    // When salvage runs the incident
    let outcome = try await world.runner(
      drainTimeout: 10_000, poll: 5, notice: { notice in notices.withLock { $0.append(notice) } },
      progress: { progress in
        if case .drainage(let wait) = progress { waits.withLock { $0.append(wait) } }
      }
    ).run()
    // Then it finished, having said once, as the wait began, the server's default clocks and when
    // it gives up
    #expect(outcome == .finished)
    let awaiting = notices.withLock { $0 }.filter {
      if case .awaitingDrainage = $0 { true } else { false }
    }
    #expect(
      awaiting == [
        .awaitingDrainage(
          WorkerDeploymentVersion(deploymentName: "orders", buildID: "v2"), refresh: 180,
          grace: 180, timeout: 10_000)
      ])
    // And each progress said how long ago the server last checked (never more than a refresh),
    // with the default refresh (two checks, the first a grace after routing, tell no refresh)
    let said = waits.withLock { $0 }
    #expect(said.count >= 10)
    #expect(said.allSatisfy { ($0.lastCheckedAgo ?? .max) <= 180 })
    #expect(said.contains { ($0.lastCheckedAgo ?? .max) >= 100 })
    #expect(said.allSatisfy { $0.refresh == 180 && !$0.refreshSeen })
    #expect(said.map(\.waited) == said.map(\.waited).sorted())
  }

  @Test("The refresh is told from two intervals between checks, never from the grace alone")
  func theRefreshIsToldFromTwoIntervalsBetweenChecksNeverFromTheGraceAlone() {
    // Given checks seen when the version left routing, a 180 s grace later, then 120 s later
    func at(_ seconds: Int64) -> UTCTime { UTCTime(millisecondsSinceEpoch: seconds * 1000) }
    // When the refresh is read from the first two, then from all three
    // Then two tell nothing, and three tell the last interval
    #expect(DrainageWait.refresh(seenIn: [at(0), at(180)]) == nil)
    #expect(DrainageWait.refresh(seenIn: [at(0), at(180), at(300)]) == 120)
  }

  @Test("A version draining again after it was observed drained is not deleted while draining")
  func aVersionDrainingAgainAfterItWasObservedDrainedIsNotDeletedWhileDraining() async throws {
    // Given drainage on the server's clocks, and someone who pins a run to v2 by hand just after
    // salvage's first closed reset (v2 was observed drained before those)
    let world = try RunbookInProcess()
    world.cluster.drainage(refreshEvery: 180, grace: 180)
    let cluster = world.cluster
    cluster.afterRunChange(1) {
      cluster.add("ManualWorkflow", .running, count: 1, prefix: "pinned-again")
    }
    // When salvage runs the incident
    let refusal = await #expect(throws: TemporalError.self) { try await world.runner().run() }
    // Then it stops on the server's refusal to delete a draining version: v2 is still there
    #expect(refusal?.description.contains("cannot be deleted since it is draining") == true)
    #expect(world.cluster.builds.contains("v2"))
    #expect(world.cluster.deletions.isEmpty)
    // When that run completes, the server drains v2 again, and salvage runs once more
    world.cluster.end("pinned-again-0", as: .completed)
    world.cluster.advance(seconds: 360)
    let outcome = try await world.runner().run()
    // Then it finished, deleting v2 drained with nothing pinned, and no closed run was reset twice
    #expect(outcome == .finished)
    #expect(world.cluster.deletions.map(\.drainage) == [.drained])
    #expect(world.cluster.deletions.map(\.pinnedRunning) == [0])
    let resets = world.cluster.resetsPerRun
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    #expect(closed.map { resets[$0] ?? 0 } == [1, 1, 1, 1, 1])
  }
}
