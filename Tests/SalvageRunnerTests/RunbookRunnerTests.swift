import SalvageCore
import SalvageFakes
import Synchronization
import Testing

@Suite struct RunbookRunnerTests {
  let incident = IncidentID(rawValue: "orders-1")!

  /// A journal holding an opened incident (bad v2, good v1) and a runner over it.
  func setUp(
    _ routing: DeploymentRouting,
    confirm: @escaping @Sendable ([String]) -> Bool = { _ in true }
  )
    throws -> (InMemoryEventJournal, ScriptedCluster, RunbookRunner)
  {
    let journal = InMemoryEventJournal()
    var factory = EventFactory(seed: 3)
    _ = try journal.append(
      [factory.pending(EventFactory.opened)], to: incident, expectedVersion: 0, actor: "alice")
    let temporal = ScriptedCluster(routing: routing)
    let ids = Mutex(EventFactory(seed: 4))
    let runner = RunbookRunner(
      journal: journal, temporal: temporal, incident: incident, actor: "alice",
      dependencies: .init(
        newEventID: { ids.withLock { $0.pending(.noteAdded(NoteAdded(text: ""))).id } },
        confirm: confirm,
        clock: InstantClock()))
    return (journal, temporal, runner)
  }

  func types(_ journal: InMemoryEventJournal) throws -> [String] {
    try journal.events(of: incident).map(\.event.typeName)
  }

  @Test func stoppingACurrentRolloutSetsCurrentBackAndConfirmsByReDescribing() async throws {
    // Given the bad build is Current
    let (journal, temporal, runner) = try setUp(.init(current: "v2"))
    // When salvage runs until stopped
    let outcome = try await runner.run(until: .stopped)
    // Then Current is back on v1, confirmed by a second observation, with intent before effect
    #expect(outcome == .reached(.stopped))
    #expect(temporal.routing == .init(current: "v1"))
    #expect(
      try types(journal) == [
        "IncidentOpened", "RolloutObserved", "ActionStarted", "ActionSucceeded", "RolloutObserved",
      ])
    #expect(temporal.contexts.map(\.identity) == ["salvage/orders-1/stop-1"])
    #expect(try journal.state(of: incident)?.phase == .stopped)
  }

  @Test func stoppingARampSetsZeroThenRemovesIt() async throws {
    let (journal, temporal, runner) = try setUp(.init(current: "v1", ramping: "v2", percentage: 40))
    #expect(try await runner.run(until: .stopped) == .reached(.stopped))
    #expect(
      temporal.changes == [
        .setRampingVersion(
          .init(deploymentName: "orders", buildID: "v2"), percentage: 0,
          replacing: .init(currentBuild: "v1", rampingBuild: "v2", rampPercentage: 40)),
        .removeRamp(
          deployment: "orders",
          replacing: .init(currentBuild: "v1", rampingBuild: "v2", rampPercentage: 0)),
      ])
    #expect(temporal.routing == .init(current: "v1"))
    #expect(try journal.state(of: incident)?.progress.actions.map(\.id) == ["stop-1", "stop-2"])
  }

  @Test func aDryRunIsTheSameRunnerOverAScratchJournalAndAPlanningClient() async throws {
    // Given a 30 % ramp of the bad build, and a scratch journal holding the same opened incident
    let (journal, temporal, _) = try setUp(.init(current: "v1", ramping: "v2", percentage: 30))
    let scratch = InMemoryEventJournal()
    var factory = EventFactory(seed: 3)
    _ = try scratch.append(
      [factory.pending(EventFactory.opened)], to: incident, expectedVersion: 0, actor: "alice")
    let planner = PlanningTemporalClient(
      live: temporal, bad: .init(deploymentName: "orders", buildID: "v2"),
      now: { UTCTime(millisecondsSinceEpoch: 1_800_000_000_000) })
    let ids = Mutex(EventFactory(seed: 4))
    let runner = RunbookRunner(
      journal: scratch, temporal: planner, incident: incident, actor: "alice",
      dependencies: .init(
        newEventID: { ids.withLock { $0.pending(.noteAdded(NoteAdded(text: ""))).id } },
        clock: InstantClock()))
    // When it runs until drained (nothing is affected in the scripted world)
    let outcome = try await runner.run(until: .drained)
    // Then it got there past the stop's re-describe and the drainage gate, on the planned answers
    #expect(outcome == .reached(.drained))
    #expect(
      planner.changes.map(\.change) == [
        .setRampingVersion(
          .init(deploymentName: "orders", buildID: "v2"), percentage: 0,
          replacing: .init(currentBuild: "v1", rampingBuild: "v2", rampPercentage: 30)),
        .removeRamp(
          deployment: "orders",
          replacing: .init(currentBuild: "v1", rampingBuild: "v2", rampPercentage: 0)),
      ])
    #expect(
      planner.changes.map { $0.intent.command.last } == [
        "salvage/orders-1/stop-1", "salvage/orders-1/stop-2",
      ])
    // And nothing reached the server or the real journal
    #expect(temporal.changes.isEmpty)
    #expect(temporal.routing == .init(current: "v1", ramping: "v2", percentage: 30))
    #expect(try types(journal) == ["IncidentOpened"])
  }

  @Test func aDeclinedConfirmationChangesNothingAndSaysWhich() async throws {
    let (journal, temporal, runner) = try setUp(.init(current: "v2"), confirm: { _ in false })
    guard case .declined = try await runner.run(until: .stopped) else {
      Issue.record("expected declined")
      return
    }
    #expect(temporal.changes.isEmpty)
    #expect(!(try types(journal)).contains("ActionStarted"))
  }

  @Test func aFailedCallIsRecordedWithItsMessageAndRethrown() async throws {
    let (journal, temporal, runner) = try setUp(.init(current: "v2"))
    temporal.failNextChange(with: .unreachable("nothing is listening"))
    await #expect(throws: TemporalError.unreachable("nothing is listening")) {
      try await runner.run(until: .stopped)
    }
    let action = try #require(try journal.state(of: incident)?.progress.actions.first)
    #expect(action.outcome == .failed)
    #expect(action.message?.contains("nothing is listening") == true)
    // And a later run simply tries again under a new id
    #expect(try await runner.run(until: .stopped) == .reached(.stopped))
    #expect(try journal.state(of: incident)?.progress.actions.map(\.id) == ["stop-1", "stop-2"])
  }

  @Test func aTimedOutCallIsLeftInDoubtNotFailed() async throws {
    let (journal, temporal, runner) = try setUp(.init(current: "v2"))
    temporal.failNextChange(with: .timedOut(call: "SetWorkerDeploymentCurrentVersion", seconds: 60))
    await #expect(
      throws: TemporalError.timedOut(call: "SetWorkerDeploymentCurrentVersion", seconds: 60)
    ) { try await runner.run(until: .stopped) }
    #expect(try journal.state(of: incident)?.progress.inDoubt.map(\.id) == ["stop-1"])
    // Resuming abandons the repeatable action and runs it again
    #expect(try await runner.run(until: .stopped) == .reached(.stopped))
    #expect(try types(journal).contains("ActionAbandoned"))
  }

  /// Appends the intent of a recovery batch, as a run that died right after committing it left it.
  func appendInDoubtRecovery(_ journal: InMemoryEventJournal) throws {
    var factory = EventFactory(seed: 8)
    let state = try #require(try journal.state(of: incident))
    _ = try journal.append(
      [
        factory.pending(
          .actionStarted(
            ActionStarted(
              action: "recover-OrderWorkflow-1", step: .recover, subject: "OrderWorkflow",
              safety: .repeatable,
              command: ["temporal"], identity: "salvage/orders-1/recover-OrderWorkflow-1",
              batchJob: "salvage/orders-1/recover-OrderWorkflow-1")))
      ],
      to: incident, expectedVersion: state.version, actor: "alice")
  }

  @Test func anInDoubtBatchThatTheServerKnowsByItsJobIDIsFollowedNotSentAgain() async throws {
    let (journal, temporal, runner) = try setUp(.init(current: "v1"))
    // Given a recovery batch whose intent committed before a crash, and the server knows its job id
    try appendInDoubtRecovery(journal)
    temporal.knowBatch("salvage/orders-1/recover-OrderWorkflow-1", total: 3)
    // When salvage resumes
    _ = try await runner.run(until: .stopped)
    // Then the action is reconciled as started, its batch followed to the end, and nothing re-sent
    let action = try #require(try journal.state(of: incident)?.progress.actions.first)
    #expect(action.outcome == .tookEffect)
    #expect(action.batchJob == "salvage/orders-1/recover-OrderWorkflow-1")
    #expect(try types(journal).dropFirst(2).prefix(2) == ["ActionReconciled", "BatchProgressed"])
    #expect(
      try journal.state(of: incident)?.progress.batches["recover-OrderWorkflow-1"]?.total == 3)
    #expect(temporal.changes.isEmpty)
  }

  @Test func anInDoubtBatchThatTheServerDoesNotKnowIsRecordedAsNeverStarted() async throws {
    let (journal, temporal, runner) = try setUp(.init(current: "v1"))
    // Given the same intent, but the launch never reached the server
    try appendInDoubtRecovery(journal)
    // When salvage resumes
    _ = try await runner.run(until: .stopped)
    // Then DescribeBatchOperation's NOT_FOUND (within retention) settles it: it never started
    let action = try #require(try journal.state(of: incident)?.progress.actions.first)
    #expect(action.outcome == .notStarted)
    #expect(action.message?.contains("NOT_FOUND, within the namespace's retention") == true)
    #expect(temporal.changes.isEmpty)
  }

  @Test func aSingleStepRunDoesItsStepAndStopsBeforeTheNext() async throws {
    let (journal, temporal, runner) = try setUp(.init(current: "v2"))
    #expect(try await runner.run(only: .stop) == .stepDone(.stop))
    #expect(temporal.routing.current == "v1")
    #expect(try journal.state(of: incident)?.phase == .stopped)
  }

  @Test func aStepTheIncidentHasNotReachedIsRefusedNamingTheStepDue() async throws {
    let (journal, temporal, runner) = try setUp(.init(current: "v2"))
    #expect(try await runner.run(only: .recover) == .notReady(asked: .recover, next: .stop))
    #expect(temporal.changes.isEmpty)
    #expect(try journal.events(of: incident).count == 1)
  }
}
