import SalvageCore
import SalvageFakes
import SalvageJournal
import Synchronization
import Testing

/// A take-over, a seal or a close in the middle of a long
/// per-run action stops the old driver before its next change, not after the action.
@Suite struct TakeOverMidActionTests {
  let alice = RunIdentity(runID: "run-alice", operatorName: "alice", host: "a", pid: 41)
  let bob = RunIdentity(runID: "run-bob", operatorName: "bob", host: "b", pid: 42)

  /// Terms of a 60-second lease for `run` on the world's clock.
  func terms(_ run: RunIdentity, _ world: RunbookInProcess) -> LeaseTerms {
    let cluster = world.cluster
    return LeaseTerms(run: run, seconds: 60, now: { cluster.now })
  }

  /// Appends an event as another process would, to the incident as it is now.
  static func append(
    _ event: IncidentEvent, to journal: SQLiteEventJournal, _ incident: IncidentID, by actor: String
  ) throws {
    let version = try #require(try journal.state(of: incident)).version
    var factory = EventFactory(seed: UInt64(version) + 700)
    _ = try journal.append(
      [factory.pending(event)], to: incident, expectedVersion: version, actor: actor)
  }

  /// The world with alice's run holding the lease and the incident drained, the closed runs frozen
  /// into one chunk of 5, one run reset at a time.
  func aliceAtTheClosedResets(closed: Int = 5) async throws -> RunbookInProcess {
    let world = try RunbookInProcess(closed: closed)
    let expires = UTCTime(
      millisecondsSinceEpoch: world.cluster.now.millisecondsSinceEpoch + 600_000)
    try Self.append(
      .leaseAcquired(LeaseAcquired(alice, expiresAt: expires, found: .free)), to: try world.open(),
      world.incident, by: "alice")
    let outcome = try await world.runner(chunkSize: 5, lease: terms(alice, world)).run(
      until: .drained)
    #expect(outcome == .reached(.drained))
    return world
  }

  @Test func aTakeOverInTheMiddleOfAChunkStopsTheOldDriverBeforeItsNextReset() async throws {
    // Given alice's run at the closed resets, and bob taking the incident over as her second
    // closed run's reset lands
    let world = try await aliceAtTheClosedResets()
    let stuckResets = world.cluster.resetsPerRun.count
    let expires = UTCTime(
      millisecondsSinceEpoch: world.cluster.now.millisecondsSinceEpoch + 600_000)
    let held = try #require(try world.state?.lease)
    let (journal, incident) = (try world.open(), world.incident)
    world.cluster.afterRunChange(2) { [bob] in
      try? Self.append(
        .leaseAcquired(LeaseAcquired(bob, expiresAt: expires, found: .heldBy(held))), to: journal,
        incident, by: "bob")
    }
    // When alice's run goes on with the chunk
    await #expect(throws: RunbookError.leaseLost(world.incident, to: "bob (pid 42 on b)")) {
      _ = try await world.runner(chunkSize: 5, concurrency: 1, lease: terms(alice, world)).run()
    }
    // Then it sent no reset after the take-over: two of the five closed runs are reset
    #expect(world.cluster.resetsPerRun.count == stuckResets + 2)
    // And it recorded nothing for the chunk: bob finds it in doubt
    #expect(try world.state?.progress.inDoubt.map(\.id) == ["reset-closed-0-1"])
    // And bob's run settles the chunk and finishes, every closed run reset exactly once
    #expect(try await world.runner(chunkSize: 5, lease: terms(bob, world)).run() == .finished)
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    let resets = world.cluster.resetsPerRun
    #expect(closed.map { resets[$0] ?? 0 } == [1, 1, 1, 1, 1])
  }

  @Test func aCloseInTheMiddleOfAChunkStopsTheDriverBeforeItsNextResetAndRecordsTheChunk()
    async throws
  {
    // Given alice's run at the closed resets, and someone closing the incident as her second
    // closed run's reset lands
    let world = try await aliceAtTheClosedResets()
    let stuckResets = world.cluster.resetsPerRun.count
    let (journal, incident) = (try world.open(), world.incident)
    world.cluster.afterRunChange(2) {
      try? Self.append(
        .closed(IncidentClosed(reason: "called off")), to: journal, incident, by: "carol")
    }
    // When alice's run goes on with the chunk
    let outcome = try await world.runner(chunkSize: 5, concurrency: 1, lease: terms(alice, world))
      .run()
    // Then it sent no reset after the close, and stopped on the closed incident
    #expect(outcome == .closed)
    #expect(world.cluster.resetsPerRun.count == stuckResets + 2)
    // And the journal is whole: the chunk is recorded, two runs reset and three not sent
    let state = try #require(try world.state)
    #expect(state.progress.inDoubt.isEmpty)
    let chunk = state.progress.closedResets["reset-closed-0-1"] ?? []
    #expect(chunk.map(\.result) == [.reset, .reset, .leftAlone, .leftAlone, .leftAlone])
    #expect(chunk.last?.reason == "not sent: the incident was closed meanwhile")
  }
}

extension TakeOverMidActionTests {
  /// From now on every describe of a run is refused, and bob takes the incident over at the
  /// first refusal. Returns the event his take-over records.
  func bobTakesOverAtTheFirstRefusedDescribe(_ world: RunbookInProcess) throws -> IncidentEvent {
    let expires = UTCTime(
      millisecondsSinceEpoch: world.cluster.now.millisecondsSinceEpoch + 600_000)
    let taking = IncidentEvent.leaseAcquired(
      LeaseAcquired(bob, expiresAt: expires, found: .heldBy(try #require(try world.state?.lease))))
    let (journal, incident) = (try world.open(), world.incident)
    let taken = Atomic(false)
    world.cluster.throttleRunDescribes {
      if !taken.exchange(true, ordering: .relaxed) {
        try? Self.append(taking, to: journal, incident, by: "bob")
      }
      return true
    }
    return taking
  }

  @Test(.timeLimit(.minutes(1)))
  func aTakeOverWhileTheNamespaceRefusesEveryReadStopsTheOldDriversReadsToo() async throws {
    // Given alice's run at the closed resets, a namespace that refuses every describe of a run,
    // and bob taking the incident over at the first refusal
    let world = try await aliceAtTheClosedResets()
    let taking = try bobTakesOverAtTheFirstRefusedDescribe(world)
    // When alice's run goes on with the chunk
    await #expect(throws: RunbookError.leaseLost(world.incident, to: "bob (pid 42 on b)")) {
      _ = try await world.runner(chunkSize: 5, lease: terms(alice, world)).run()
    }
    // Then it stopped sending once it saw the take-over, well before its patience ran out
    #expect(world.cluster.refusedReads < 40, "\(world.cluster.refusedReads) reads refused")
    // And it recorded nothing after the take-over
    let last = try #require(try world.open().events(of: world.incident).last)
    #expect(last.event == taking)
  }

  @Test(.timeLimit(.minutes(1)))
  func aTakeOverDuringTheFreezeStopsItsReadsOfEveryOtherRun() async throws {
    // Given alice's run drained with 200 closed runs to freeze, a namespace that refuses every
    // describe of a run, and bob taking the incident over at the first refusal
    let world = try await aliceAtTheClosedResets(closed: 200)
    _ = try bobTakesOverAtTheFirstRefusedDescribe(world)
    // When alice's run freezes the closed runs
    await #expect(throws: RunbookError.leaseLost(world.incident, to: "bob (pid 42 on b)")) {
      _ = try await world.runner(chunkSize: 500, lease: terms(alice, world)).run()
    }
    // Then the first lost hold stopped the freeze's other reads: far fewer than one per run
    #expect(world.cluster.refusedReads < 40, "\(world.cluster.refusedReads) reads refused")
  }

  @Test func aRunWhoseTerminateWasNotAnsweredIsStartedAgainThoughTheIncidentClosedMeanwhile()
    async throws
  {
    // Given three stuck runs decided for a restart, one at a time, the first terminate carried
    // out but not answered, and the incident closed as it lands
    let world = try RunbookRestartTests.world()
    let (journal, incident) = (try world.open(), world.incident)
    world.cluster.loseAnswer(ofRunChange: 1)
    world.cluster.afterRunChange(1) {
      try? Self.append(
        .closed(IncidentClosed(reason: "called off")), to: journal, incident, by: "carol")
    }
    // When salvage restarts the type
    _ = try await world.runner(chunkSize: 10, concurrency: 1).run()
    // Then the run it terminated was started again, on v1: never left terminated
    let terminated = RunbookRestartTests.runs(world).values.filter {
      $0.first?.status == .terminated
    }
    #expect(terminated.count == 1)
    #expect(terminated.allSatisfy { $0.count == 2 && $0.last?.build == "v1" }, "\(terminated)")
  }

  @Test(.timeLimit(.minutes(1)))
  func aTakeOverWhileAnInterruptedChunkWaitsOutItsLostResetsStopsItsReads() async throws {
    // Given alice's run that died just after recording the intent of a chunk of 200 closed
    // resets, a namespace that refuses every describe of a run, and bob taking the incident over
    // at the first refusal
    let world = try await aliceAtTheClosedResets(closed: 200)
    await #expect(throws: CrashSwitch.Crashed.self) {
      _ = try await world.runner(
        crashAt: (.afterIntent, "reset-closed-0-1"), chunkSize: 500, lease: terms(alice, world)
      ).run()
    }
    _ = try bobTakesOverAtTheFirstRefusedDescribe(world)
    // When alice runs again and settles the chunk, waiting out its lost resets
    await #expect(throws: RunbookError.leaseLost(world.incident, to: "bob (pid 42 on b)")) {
      _ = try await world.runner(chunkSize: 500, lease: terms(alice, world)).run()
    }
    // Then the first lost hold stopped the wait's reads: far fewer than one per run
    #expect(world.cluster.refusedReads < 40, "\(world.cluster.refusedReads) reads refused")
  }
}
