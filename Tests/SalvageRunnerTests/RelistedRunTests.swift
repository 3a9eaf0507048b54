import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// Visibility pages a long list, and a run whose sort key moves between two pages (it closed while
/// the list was paged, as runs of a bad rollout keep doing) is listed on both.
@Suite struct RelistedRunTests {
  @Test func aRunListedTwiceWhileItClosedIsIdentifiedOnceAsItWasLastListed() async throws {
    // Given the bad rollout, and visibility listing the third stuck OrderWorkflow run twice as the
    // identification pages across its close: Running first, Failed on a later page
    let world = try RunbookInProcess()
    world.cluster.closeWhileListing("orderworkflow-2", as: .failed)
    // When salvage runs to the end
    #expect(try await world.runner().run() == .finished)
    // Then the identification holds each of the 11 runs once, that one as Failed
    let state = try #require(try world.state)
    let identified = try #require(state.progress.identification)
    #expect(identified.executionCount == 11)
    #expect(
      identified.groups.filter { $0.workflowType == "OrderWorkflow" }.map {
        "\($0.status.rawValue):\($0.count)"
      }
        == ["Failed:1", "Running:2"])
    let stored = try world.open().executions(
      namedBy: try #require(state.progress.identificationEvent))
    #expect(stored.count == 11)
    #expect(stored.filter { $0.workflowID == "orderworkflow-2" }.map(\.status) == [.failed])
  }
}
