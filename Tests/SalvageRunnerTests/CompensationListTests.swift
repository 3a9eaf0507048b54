import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// The compensation list: every execution salvage acted on, from the journal alone.
@Suite struct CompensationListTests {
  /// A row without its time: what a test can name exactly before the run.
  struct Row: Equatable, CustomStringConvertible {
    let workflowID, type, before, done, old, new, job: String
    var description: String {
      [workflowID, type, before, done, old, new, job].joined(separator: " ")
    }
  }

  func rows(_ world: RunbookInProcess) throws -> [CompensationRow] {
    let journal = try world.open()
    let state = try #require(try journal.state(of: world.incident))
    return CompensationList.rows(
      of: state,
      identified: try state.progress.identificationEvent.map(journal.executions(namedBy:)) ?? [],
      frozen: try state.progress.closedTargetsEvent.map(journal.executions(namedBy:)) ?? [])
  }

  @Test func aFinishedIncidentListsEveryExecutionItActedOnWithOldAndNewRuns() async throws {
    // Given a whole incident run in process: 3 OrderWorkflow reset with a move, 2 PaymentWorkflow
    // overridden to v3, 4 Failed and 1 TimedOut closed runs reset, 1 Completed run left alone
    let world = try RunbookInProcess()
    #expect(try await world.runner().run() == .finished)
    // When the compensation list is built
    let listed = try rows(world)
    // Then it names each of the 10, with the run each closed reset made, and no new run for a batch
    func made(from old: String) -> String {
      world.cluster.executions.first { $0.resetFrom == old }?.runID ?? "?"
    }
    func row(
      _ type: String, _ index: Int, _ before: String, _ done: String, old: String, new: String,
      job: String
    )
      -> Row
    {
      Row(
        workflowID: "\(type.lowercased())-\(index)", type: type, before: before, done: done,
        old: old, new: new, job: job)
    }
    let order = world.runIDs("OrderWorkflow")
    let payment = world.runIDs("PaymentWorkflow")
    let failed = world.runIDs("FailWorkflow")
    let timedOut = world.runIDs("TimeoutWorkflow")
    let expected =
      (0..<3).map {
        row(
          "OrderWorkflow", $0, "Running", "reset-with-move", old: order[$0], new: "",
          job: "salvage/orders-1/recover-OrderWorkflow-1")
      }
      + (0..<2).map {
        row(
          "PaymentWorkflow", $0, "Running", "override", old: payment[$0], new: "",
          job: "salvage/orders-1/recover-PaymentWorkflow-1")
      }
      + (0..<4).map {
        row(
          "FailWorkflow", $0, "Failed", "reset", old: failed[$0], new: made(from: failed[$0]),
          job: "")
      }
      + [
        row(
          "TimeoutWorkflow", 0, "TimedOut", "reset", old: timedOut[0], new: made(from: timedOut[0]),
          job: "")
      ]
    let actual = listed.map {
      Row(
        workflowID: $0.workflowID, type: $0.workflowType, before: $0.statusBefore?.rawValue ?? "",
        done: $0.done.rawValue,
        old: $0.oldRunID, new: $0.newRunID ?? "", job: $0.batchJob ?? "")
    }
    #expect(actual.sorted { $0.old < $1.old } == expected.sorted { $0.old < $1.old })
    // And each row's time is its batch's start as the server reported it, or when its reset was journaled
    let state = try #require(try world.state)
    let orderStart = try #require(state.progress.batches["recover-OrderWorkflow-1"]?.startedAt)
    #expect(listed.filter { $0.workflowType == "OrderWorkflow" }.allSatisfy { $0.at == orderStart })
    let resets = Dictionary(
      uniqueKeysWithValues: state.progress.actions.map { ($0.id, $0.endedAt) })
    #expect(listed.filter { $0.done == .reset }.allSatisfy { $0.at == resets[$0.action] ?? nil })
    #expect(listed.map(\.at) == listed.map(\.at).sorted())
  }

  @Test func aTypeRecoveredOverTwoRoundsNamesBothJobsOncePerExecution() async throws {
    // Given the first OrderWorkflow batch fails on 2 of its 3 executions, so a second round goes out
    let world = try RunbookInProcess()
    world.cluster.failBatches(on: "OrderWorkflow", each: 2)
    #expect(try await world.runner().run() == .finished)
    // When the list is built, then each OrderWorkflow execution is listed once, naming both jobs
    let order = try rows(world).filter { $0.workflowType == "OrderWorkflow" }
    #expect(order.map(\.oldRunID) == world.runIDs("OrderWorkflow"))
    #expect(
      order.allSatisfy {
        $0.batchJob
          == "salvage/orders-1/recover-OrderWorkflow-1 salvage/orders-1/recover-OrderWorkflow-2"
      })
    #expect(
      order.allSatisfy {
        $0.note == "recovered over 2 rounds: the server does not say which moved this one"
      })
  }

  @Test func beforeAnyActionTheListIsEmpty() async throws {
    // Given an incident opened and decided, with nothing done yet
    let world = try RunbookInProcess()
    // Then nothing is listed
    #expect(try rows(world) == [])
  }
}
