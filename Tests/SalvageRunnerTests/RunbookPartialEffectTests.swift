import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// What did not take effect is not done: partial and failed batches, refused resets, and gates
/// that read the server's clock only.
@Suite struct RunbookPartialEffectTests {
  @Test func aBatchThatFailedOnSomeExecutionsIsFollowedByAnotherRoundForTheRest() async throws {
    // Given the first OrderWorkflow batch fails on 2 of its 3 executions
    let world = try RunbookInProcess()
    world.cluster.failBatches(on: "OrderWorkflow", each: 2)
    // When salvage runs
    #expect(try await world.runner().run() == .finished)
    // Then a second round went out for the 2 left, under its own job id, and every run was reset once
    let jobs = world.cluster.batchJobs.map(\.rawValue).filter { $0.contains("OrderWorkflow") }
      .sorted()
    #expect(
      jobs == [
        "salvage/orders-1/recover-OrderWorkflow-1", "salvage/orders-1/recover-OrderWorkflow-2",
      ])
    let state = try #require(try world.state)
    #expect(state.progress.batches["recover-OrderWorkflow-1"]?.failure == 2)
    #expect(state.progress.batches["recover-OrderWorkflow-2"]?.total == 2)
    #expect(world.runIDs("OrderWorkflow").map { world.cluster.resetsPerRun[$0] } == [1, 1, 1])
  }

  @Test func aBatchThatFailedAsAWholeIsNotDone() async throws {
    // Given the first batch ends FAILED with no counts at all
    let world = try RunbookInProcess()
    world.cluster.failWholeBatches(1)
    #expect(try await world.runner().run() == .finished)
    // Then that round is recorded as failed and the next one recovered the type
    let state = try #require(try world.state)
    #expect(state.progress.batches["recover-OrderWorkflow-1"]?.state == .failed)
    #expect(state.progress.isDone(.recover, subject: "OrderWorkflow"))
    #expect(state.progress.actions.map(\.id).contains("recover-OrderWorkflow-2"))
  }

  @Test func threeFailingRoundsStopTheRunNamingWhatIsLeft() async throws {
    // Given every round fails on one OrderWorkflow execution
    let world = try RunbookInProcess()
    world.cluster.failBatches(on: "OrderWorkflow", each: 1, batches: 3)
    // When salvage runs
    let outcome = try await world.runner().run()
    // Then after three rounds it stops for the operator (exit 11), naming the execution left
    guard case .blocked(let reason) = outcome else {
      Issue.record("expected blocked, got \(outcome)")
      return
    }
    #expect(
      reason.contains(
        "recover OrderWorkflow: 3 rounds in a row did not take effect on every target"))
    #expect(reason.contains("1 still Running on orders:v2: orderworkflow-"))
    #expect(
      try world.state?.progress.failures.map(\.action) == [
        "recover-OrderWorkflow-1", "recover-OrderWorkflow-2", "recover-OrderWorkflow-3",
      ])
    // And the next run, with the cause gone, finishes
    #expect(try await world.runner().run() == .finished)
    #expect(try world.state?.progress.failures == [])
  }

  @Test func aRefusedResetStopsTheRunNamingTheRunAndTheNextRunTriesItAgain() async throws {
    // Given the server refuses the reset of one closed run, once
    let world = try RunbookInProcess()
    let refused = world.runIDs("FailWorkflow")[1]
    world.cluster.refuseReset(of: refused, "workflow is being migrated")
    // When salvage runs, then it stops naming that run and the server's reason
    let first = try await world.runner().run()
    guard case .blocked(let reason) = first else {
      Issue.record("expected blocked, got \(first)")
      return
    }
    #expect(
      reason.contains(
        "failworkflow-1 (ResetWorkflowExecution failed (failedPrecondition): workflow is being migrated)"
      ))
    let failures = try #require(try world.state?.progress.failures)
    #expect(failures.map(\.runID) == [refused])
    // When it runs again, the refused run is reset, and none of the others a second time
    #expect(try await world.runner().run() == .finished)
    #expect(world.cluster.resetsPerRun[refused] == 1)
    #expect(world.cluster.resetsPerRun.values.allSatisfy { $0 == 1 })
    #expect(try world.state?.progress.failures == [])
  }

  @Test(arguments: [-10, 10])
  func theDrainedGateReadsOnlyTheServersClock(skewMinutes: Int64) async throws {
    // Given the journal's clock 10 minutes behind or ahead of the server's
    let world = try RunbookInProcess(skewMinutes: skewMinutes)
    // When salvage runs
    #expect(try await world.runner().run() == .finished)
    // Then it drained on the server's times: the check after the last recovery batch's start
    let state = try #require(try world.state)
    let checked = try #require(state.progress.drainage?.checkedAt)
    let lastStart = try #require(state.progress.lastRecoveryAt)
    #expect(checked > lastStart)
    #expect(world.cluster.resetsPerRun.count == 8)
  }

  @Test func aClosedResetChunkLongerThanTheLeaseRenewsItWhileItRuns() async throws {
    // Given a run holding a 1-second lease, and a chunk of 5 closed resets paced at 4 a second
    let world = try RunbookInProcess()
    let run = RunIdentity(runID: "r1", operatorName: "alice", host: "a", pid: 41)
    let now: @Sendable () -> UTCTime = {
      UTCTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
    }
    let journal = try world.open()
    var factory = EventFactory(seed: 11)
    let acquired = LeaseAcquired(
      run, expiresAt: UTCTime(millisecondsSinceEpoch: now().millisecondsSinceEpoch + 1_000),
      found: .free)
    _ = try journal.append(
      [factory.pending(.leaseAcquired(acquired))], to: world.incident,
      expectedVersion: try journal.state(of: world.incident)?.version ?? 0, actor: "alice")
    // When salvage runs on a real clock
    let runner = try world.runner(
      chunkSize: 10, callsPerSecond: 12, clock: ContinuousClock(),
      lease: .init(run: run, seconds: 1, now: now))
    #expect(try await runner.run() == .finished)
    // Then the lease was renewed while the chunk ran, between its intent and its outcomes
    let events = try journal.events(of: world.incident).map(\.event)
    let start = try #require(
      events.firstIndex {
        if case .actionStarted(let started) = $0 { return started.action == "reset-closed-0-1" }
        return false
      })
    let end = try #require(events.firstIndex { $0.typeName == "ClosedRunsReset" })
    #expect(
      events[start..<end].contains { $0.typeName == "LeaseRenewed" }, "\(events.map(\.typeName))")
    #expect(world.cluster.resetsPerRun.count == 8)
  }
}
