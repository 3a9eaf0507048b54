import SalvageCore
import SalvageFakes
import Synchronization
import Testing

/// A stop change decided on an old observation of the
/// deployment's routing must never overwrite what a person set since.
@Suite struct StopLeavesAPersonsRoutingAloneTests {
  let incident = IncidentID(rawValue: "orders-1")!
  /// Event ids for every run of a test, never repeated from one run to the next.
  let ids = EventIDs(seed: 4)

  func runner(
    _ journal: InMemoryEventJournal, _ temporal: ScriptedCluster, confirm: Bool = true
  ) -> RunbookRunner {
    let ids = self.ids
    return RunbookRunner(
      journal: journal, temporal: temporal, incident: incident, actor: "alice",
      dependencies: .init(
        newEventID: { ids.next() },
        confirm: { _ in confirm }, clock: InstantClock()))
  }

  func openedIncident() throws -> InMemoryEventJournal {
    let journal = InMemoryEventJournal()
    var factory = EventFactory(seed: 3)
    _ = try journal.append(
      [factory.pending(EventFactory.opened)], to: incident, expectedVersion: 0, actor: "alice")
    return journal
  }

  @Test func aRollForwardMadeBetweenTwoRunsIsLeftAlone() async throws {
    // Given a run that observed the bad build v2 Current and was declined the stop (exit 13)
    let journal = try openedIncident()
    let temporal = ScriptedCluster(routing: .init(current: "v2"))
    guard case .declined = try await runner(journal, temporal, confirm: false).run(until: .stopped)
    else {
      Issue.record("expected the first run to be declined")
      return
    }
    // And a person then rolled forward to a fixed build v4 by hand
    temporal.route(.init(current: "v4"))
    // When the next run may change things
    let outcome = try await runner(journal, temporal).run(until: .stopped)
    // Then it saw the roll-forward, left it alone, and the rollout counts as stopped
    #expect(outcome == .reached(.stopped))
    #expect(temporal.routing == .init(current: "v4"))
    #expect(temporal.changes.isEmpty)
    let state = try #require(try journal.state(of: incident))
    #expect(state.progress.rollout?.currentBuild == "v4")
    #expect(state.progress.actions.isEmpty)
  }

  @Test func aRollForwardMadeAfterTheObservationIsNotOverwrittenByTheStop() async throws {
    // Given the bad build v2 Current, and a person who rolls forward to v4 right after salvage
    // describes the deployment
    let journal = try openedIncident()
    let temporal = ScriptedCluster(routing: .init(current: "v2"))
    temporal.routeAfterNextDescribe(.init(current: "v4"))
    // When salvage runs until stopped
    let outcome = try await runner(journal, temporal).run(until: .stopped)
    // Then the stop was not sent over the person's change: it is recorded failed with the routing
    // the server showed, that routing is observed, and the rollout counts as stopped
    #expect(outcome == .reached(.stopped))
    #expect(temporal.routing == .init(current: "v4"))
    #expect(temporal.changes.isEmpty)
    let state = try #require(try journal.state(of: incident))
    let stop = try #require(state.progress.actions.first)
    #expect(stop.outcome == .failed)
    #expect(
      stop.message
        == "not sent: the deployment's routing changed since it was observed (Current v2, no ramp); "
        + "it is Current v4, no ramp now")
    #expect(state.progress.rollout?.currentBuild == "v4")
    #expect(
      try journal.events(of: incident).map(\.event.typeName) == [
        "IncidentOpened", "RolloutObserved", "ActionStarted", "ActionFailed", "RolloutObserved",
      ])
  }

  @Test func aRampChangedByAPersonIsObservedAgainBeforeTheRampIsRemoved() async throws {
    // Given v2 ramping at 40 %, and a person who raises the ramp to 60 % right after the describe
    let journal = try openedIncident()
    let temporal = ScriptedCluster(routing: .init(current: "v1", ramping: "v2", percentage: 40))
    temporal.routeAfterNextDescribe(.init(current: "v1", ramping: "v2", percentage: 60))
    // When salvage runs until stopped
    let outcome = try await runner(journal, temporal).run(until: .stopped)
    // Then the first zero-ramp was not sent on the old figures; the next, decided on 60 %, was
    #expect(outcome == .reached(.stopped))
    #expect(temporal.routing == .init(current: "v1"))
    let actions = try #require(try journal.state(of: incident)).progress.actions
    #expect(actions.map(\.outcome) == [.failed, .succeeded, .succeeded])
    #expect(temporal.changes.count == 2)
  }
}
