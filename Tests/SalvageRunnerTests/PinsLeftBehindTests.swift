import Foundation
import SalvageCore
import SalvageFakes
import Testing

/// The pins salvage's recovery leaves: every execution it moved, reset or started carries a pinned
/// Versioning Override, which keeps it (and its children and continued runs) out of later rollouts.
@Suite struct PinsLeftBehindTests {
  @Test func aFinishedIncidentCountsEachPinByBuildAndHow() async throws {
    // Given a whole incident run in process: 3 OrderWorkflow reset with a move to the good build
    // v1, 2 PaymentWorkflow overridden to v3, 5 closed runs reset onto v1
    let world = try RunbookInProcess()
    #expect(try await world.runner().run() == .finished)
    // When the pins it left are counted from its state
    let state = try #require(try world.state)
    // Then each group names its build, how it was pinned, and how many
    #expect(
      state.pinsLeftBehind == [
        PinLeftBehind(build: "v1", done: .reset, executions: 5),
        PinLeftBehind(build: "v1", done: .resetWithMove, executions: 3),
        PinLeftBehind(build: "v3", done: .override, executions: 2),
      ])
  }

  @Test func anIncidentNotYetRecoveredHasNoPins() throws {
    // Given an incident just opened
    let world = try RunbookInProcess()
    // Then it has left no pin
    #expect(try #require(try world.state).pinsLeftBehind.isEmpty)
  }
}
