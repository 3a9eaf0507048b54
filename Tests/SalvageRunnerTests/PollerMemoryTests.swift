import SalvageCore
import SalvageFakes
import Synchronization
import Testing

/// Pollers remembered after they stop: the server lists a task queue's pollers, and
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
    // Then it finished, having seen the stopped workers listed, then known them stopped (quiet
    // for longer than a long poll), then gone
    #expect(outcome == .finished)
    let both = ["worker-v2-a", "worker-v2-b"]
    #expect(try world.pollerChecks == [both, both, []])
    #expect(try world.pollersChecked.map(\.remembered) == [nil, both, nil])
    // And it sent one delete, once the server had forgotten them
    #expect(world.cluster.changes.filter(\.isDelete).count == 1)
    let deleted = try #require(world.cluster.deletions.first).at.millisecondsSinceEpoch
    #expect(deleted - stopped >= 300_000)
  }

  @Test("A worker stopped when asked is not named again: the run waits for the server to forget it")
  func aWorkerStoppedWhenAskedIsNotNamedAgainTheRunWaitsForTheServerToForgetIt() async throws {
    // Given a v2 worker still polling, on a server that remembers pollers for 300 s, an operator
    // who stops it as soon as salvage says so, and a run that waits 0.5 s (about 50 looks, 50 s
    // of server time) for workers still polling
    let world = try RunbookInProcess()
    world.cluster.rememberPollers(for: 300)
    world.cluster.setPollers(["worker-v2-a"])
    let notices = Mutex<[RunbookRunner.Notice]>([])
    let stoppedAt = Mutex<Int64?>(nil)
    let cluster = world.cluster
    let runner = try world.runner(pollerWait: 0.5) { notice in
      notices.withLock { $0.append(notice) }
      if case .waitingForPollers = notice {
        cluster.stopPollers()
        stoppedAt.withLock { $0 = cluster.now.millisecondsSinceEpoch }
      }
    }
    // When salvage runs the incident
    let outcome = try await runner.run()
    // Then it finished in that one run, having named the worker to stop once, and then said the
    // server only remembers it, with no second request to stop it
    #expect(outcome == .finished)
    let told = notices.withLock { $0 }.filter {
      switch $0 {
      case .waitingForPollers, .pollersRemembered: true
      default: false
      }
    }
    #expect(told.count == 2)
    #expect(told.first == .waitingForPollers(PollerMemoryTests.v2, identities: ["worker-v2-a"]))
    guard case .pollersRemembered(_, let remembered, let memory) = told.last else {
      Issue.record("no notice that the worker is only remembered: \(told)")
      return
    }
    #expect(remembered.map(\.identity) == ["worker-v2-a"])
    #expect(remembered.first.map { $0.lastPolledAgo >= 70 && $0.forgottenIn <= 230 } == true)
    #expect(memory == 300)
    // And the journal tells the live sighting from the remembered one
    let checks = try world.pollersChecked
    #expect(checks.map(\.identities) == [["worker-v2-a"], ["worker-v2-a"], []])
    #expect(checks.map(\.remembered) == [nil, ["worker-v2-a"], nil])
    // And v2 was deleted once, after the server forgot the worker
    #expect(world.cluster.changes.filter(\.isDelete).count == 1)
    let stopped = try #require(stoppedAt.withLock { $0 })
    let deleted = try #require(world.cluster.deletions.first).at.millisecondsSinceEpoch
    #expect(deleted - stopped >= 300_000)
  }

  @Test("A worker seen polling, then stopped just before the poller wait ends, is not named")
  func aWorkerSeenPollingThenStoppedJustBeforeThePollerWaitEndsIsNotNamed() async throws {
    // Given a v2 worker polling on a server that remembers pollers for 300 s, a run that looks
    // once a second and waits 80 s for workers still polling, and an operator who stops the
    // worker 70 s into that wait (10 s before it ends)
    let world = try RunbookInProcess()
    world.cluster.rememberPollers(for: 300)
    world.cluster.setPollers(["worker-v2-a"])
    let cluster = world.cluster
    let stopped = Mutex(false)
    let runner = try world.runner(
      pollerWait: 80, poll: 1,
      progress: { progress in
        guard case .pollers(_, _, let waited) = progress, waited >= 70 else { return }
        stopped.withLock { done in
          if !done { cluster.stopPollers() }
          done = true
        }
      })
    // When salvage runs the incident
    let outcome = try await runner.run()
    // Then it did not ask for the stopped worker: it waited for the server to forget it, and
    // deleted v2 once
    #expect(outcome == .finished)
    #expect(stopped.withLock { $0 })
    #expect(world.cluster.deletions.count == 1)
    #expect(try world.pollersChecked.map(\.remembered).contains(["worker-v2-a"]))
  }

  @Test("A worker that keeps polling is named, and the run asks for it after the poller wait")
  func aWorkerThatKeepsPollingIsNamedAndTheRunAsksForItAfterThePollerWait() async throws {
    // Given a v2 worker that keeps polling and one that stopped long ago but is still remembered
    let world = try RunbookInProcess()
    world.cluster.rememberPollers(for: 300)
    world.cluster.setPollers(["worker-v2-a", "worker-v2-b"])
    world.cluster.stopPollers(["worker-v2-b"])
    world.cluster.advance(seconds: 120)
    // When salvage runs the incident, waiting 0.5 s for workers still polling
    let outcome = try await world.runner(pollerWait: 0.5).run()
    // Then it asks the operator to stop the live worker only, and deleted nothing
    #expect(outcome == .needsPollersGone(["worker-v2-a"]))
    #expect(world.cluster.changes.filter(\.isDelete).isEmpty)
    #expect(try world.pollersChecked.last?.remembered == ["worker-v2-b"])
  }

  @Test("A server that remembers a stopped worker past its default stops the run, telling why")
  func aServerThatRemembersAStoppedWorkerPastItsDefaultStopsTheRunTellingWhy() async throws {
    // Given a v2 worker that stopped before salvage ran, on a server that remembers pollers for
    // 900 s where the default is 300 s
    let world = try RunbookInProcess()
    world.cluster.rememberPollers(for: 900)
    world.cluster.setPollers(["worker-v2-a"])
    world.cluster.stopPollers()
    // When salvage runs the incident, however long it would wait for workers still polling
    let first = try await world.runner(pollerWait: 1000).run()
    // Then it stops once the worker is listed 60 s past 300 s, saying nothing polls and the server
    // still remembers, and sends no delete
    guard case .blocked(let reason) = first else {
      Issue.record("expected a blocked run, got \(first)")
      return
    }
    #expect(reason.contains("worker-v2-a (last polled 360 s ago)"))
    #expect(reason.contains("nothing polls it now"))
    #expect(world.cluster.changes.filter(\.isDelete).isEmpty)
    // When the operator runs it again once the server forgot the worker
    world.cluster.advance(seconds: 600)
    let second = try await world.runner().run()
    // Then it finished with one delete and no closed run reset twice
    #expect(second == .finished)
    #expect(world.cluster.deletions.count == 1)
    let resets = world.cluster.resetsPerRun
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    #expect(closed.map { resets[$0] ?? 0 } == [1, 1, 1, 1, 1])
  }
}

/// The converse: a replay-safe build whose workers stopped is no place to move Workflows to.
extension PollerMemoryTests {
  @Test("A replay-safe build whose worker stopped is not used while the server still lists it")
  func aReplaySafeBuildWhoseWorkerStoppedIsNotUsedWhileTheServerStillListsIt() async throws {
    // Given PaymentWorkflow decided onto the replay-safe build v3, whose only worker stopped two
    // minutes ago and is still listed by a server that remembers pollers for 300 s
    let world = try RunbookInProcess()
    world.cluster.rememberPollers(for: 300)
    world.cluster.stopWorker(of: "v3")
    world.cluster.advance(seconds: 120)
    // When salvage runs the incident
    let outcome = try await world.runner().run()
    // Then it stops before moving anything to v3, saying no worker polls it now and when the
    // listed one last polled
    guard case .blocked(let reason) = outcome else {
      Issue.record("expected a blocked run, got \(outcome)")
      return
    }
    #expect(reason.contains("v3 has no worker polling now (worker-v3 last polled"))
    #expect(reason.hasSuffix("start its workers, then run again"))
    #expect(world.cluster.changes.allSatisfy { !$0.movesToV3 })
  }
}

extension TemporalChange {
  /// A batch that moves runs to v3.
  fileprivate var movesToV3: Bool {
    if case .updateOptions(_, let pin, _) = self { pin.buildID == "v3" } else { false }
  }

  /// A version's delete.
  fileprivate var isDelete: Bool {
    if case .deleteVersion = self { true } else { false }
  }
}
