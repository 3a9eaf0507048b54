import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// A long batch leaves its counts in the journal while it runs, so `salvage watch`, `status` and
/// another shift see how far it got without asking the server.
@Suite struct BatchProgressJournalTests {
  @Test("A batch that runs for minutes records its counts about every 30 seconds while it runs")
  func aBatchThatRunsForMinutesRecordsItsCountsAboutEvery30SecondsWhileItRuns() async throws {
    // Given a cluster whose batches take 100 looks to finish (their counts growing with the
    // looks), followed once a second, and 300 stuck OrderWorkflow runs
    let world = try RunbookInProcess(stuck: 300, batchLooks: 100)
    // When a run recovers OrderWorkflow by batch
    let runner = try world.runner(poll: 1)
    _ = try await runner.run(until: .recovering)
    // Then the journal holds the batch's progress while it ran (not finished), then its end
    let progress = try world.open().events(of: world.incident).compactMap {
      if case .batchProgressed(let batch) = $0.event { batch } else { nil }
    }
    let orders = progress.filter { $0.action.contains("OrderWorkflow") }
    let running = orders.filter { !$0.finished }
    #expect(running.count >= 2)
    #expect(running.count <= 4)
    let job = orders.last?.batchJob
    #expect(running.allSatisfy { $0.total == 300 && $0.batchJob == job })
    #expect(running.map(\.complete) == running.map(\.complete).sorted())
    #expect(running.allSatisfy { (1..<300).contains($0.complete) })
    #expect(orders.last?.finished == true)
    #expect(orders.last?.complete == 300)
  }

  @Test("A batch that finishes within 30 seconds records only its end")
  func aBatchThatFinishesWithin30SecondsRecordsOnlyItsEnd() async throws {
    // Given a cluster whose batches finish at the second look
    let world = try RunbookInProcess(batchLooks: 2)
    // When a run recovers by batch
    _ = try await world.runner(poll: 1).run(until: .recovering)
    // Then every batch progress in the journal is a finished batch's
    let progress = try world.open().events(of: world.incident).compactMap {
      if case .batchProgressed(let batch) = $0.event { batch } else { nil }
    }
    #expect(!progress.isEmpty)
    #expect(progress.allSatisfy { $0.finished })
  }
}
