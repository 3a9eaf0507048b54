import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// A stop's routing change comes back with the describe that waited for it: that describe is the
/// observation after the stop, so no second one follows (on server 1.32 a describe right after a
/// routing update takes about a second).
@Suite struct StopObservationTests {
  @Test func aStopIsConfirmedByTheDescribeThatWaitedForItsRoutingWithoutASecondOne() async throws {
    // Given the bad build Current
    let world = try RunbookInProcess()
    // When salvage runs until stopped
    #expect(try await world.runner().run(until: .stopped) == .reached(.stopped))
    // Then the deployment was described once, before the stop, and the stop's answer is recorded
    // as the observation after it, beside its outcome
    #expect(world.cluster.deploymentDescribes == 1)
    let state = try #require(try world.state)
    #expect(state.phase == .stopped)
    #expect(state.progress.rollout?.currentBuild == "v1")
    let stop = try #require(state.progress.actions.first { $0.step == .stop }?.id)
    let events = try world.open().events(of: world.incident).map(\.event)
    let succeeded = try #require(
      events.firstIndex {
        if case .actionSucceeded(let done) = $0 { done.action == stop } else { false }
      })
    guard case .rolloutObserved(let after) = events[succeeded + 1] else {
      Issue.record("the stop's outcome is followed by \(events[succeeded + 1])")
      return
    }
    #expect(after.currentBuild == "v1")
  }

  @Test func aRampRemovedIsConfirmedTheSameWay() async throws {
    // Given the bad build ramping at 40 % beside v1
    let world = try RunbookInProcess(ramp: true)
    // When salvage runs until stopped
    #expect(try await world.runner().run(until: .stopped) == .reached(.stopped))
    // Then the ramp went to 0 % and was removed on one describe: each change's answer is the
    // observation the next decision reads
    let state = try #require(try world.state)
    #expect(state.progress.rollout?.rampingBuild == nil)
    let observed = try world.open().events(of: world.incident).compactMap {
      if case .rolloutObserved(let seen) = $0.event { seen.rampPercentage } else { nil }
    }
    #expect(world.cluster.deploymentDescribes == 1)
    #expect(observed == [40, 0, 0])
  }
}
