import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

/// `run --output json` on a real dev server with real workers: JSON Lines only, for bots.
@Suite(.tags(.integration), .serialized) struct RunJSONLinesIntegrationTests {
  /// Every line of `text` as a JSON object; a line that is not one fails the test.
  func jsonLines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
      try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        "not a JSON line: \(line)")
    }
  }

  @Test func aRunInAPipePrintsOnlyJSONLinesOfItsRecordedEventsAndEndsWithItsOutcome() async throws {
    // Given a Current rollout with 2 OrderWorkflow stuck and 1 failed, bad workers stopped
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, failed: 1)
    try await scenario.startWorker("fixed")
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    // When a run stops for a decision, the operator decides, and a second run goes on to cleaned
    let first = try await incident.salvage(["run", "--yes", "--output", "json"])
    try await incident.decide("OrderWorkflow", restartable: true)
    let second = try await incident.salvage(["run", "--yes", "--output", "json"])
    // Then the stopped run ends with its outcome line, exit 10, and its error as JSON on stderr
    #expect(first.status == 10, "\(first.stderr)")
    let stopped = try jsonLines(first.stdout)
    let stop = try #require(stopped.last)
    #expect(stop["kind"] as? String == "outcome")
    #expect(stop["outcome"] as? String == "needsDecision")
    #expect(stop["exit"] as? Int == 10)
    #expect(stop["workflowTypes"] as? [String] == ["OrderWorkflow"])
    let error = try #require(
      try JSONSerialization.jsonObject(with: Data(first.stderr.utf8)) as? [String: Any])
    #expect(error["exit"] as? Int == 10)
    // And the finished run printed only JSON Lines, no carriage return, no escape sequence
    #expect(second.status == 0, "\(second.stderr)\n\(second.stdout)")
    #expect(!second.stdout.contains("\r") && !second.stdout.contains("\u{1B}"))
    let lines = try jsonLines(second.stdout)
    let kinds = Set(lines.compactMap { $0["kind"] as? String })
    #expect(kinds.isSubset(of: ["event", "report", "progress", "outcome"]))
    let types = lines.filter { $0["kind"] as? String == "event" }.compactMap {
      $0["type"] as? String
    }
    #expect(types.contains("ActionStarted"))
    #expect(types.contains("ActionSucceeded"))
    #expect(types.first == "LeaseAcquired" && types.last == "LeaseReleased")
    let started = try #require(lines.first { $0["type"] as? String == "ActionStarted" })
    #expect((started["summary"] as? String)?.isEmpty == false)
    #expect(started["payload"] is [String: Any])
    let last = try #require(lines.last)
    #expect(last["kind"] as? String == "outcome")
    #expect(last["outcome"] as? String == "finished")
    #expect(last["exit"] as? Int == 0)
    #expect(last["phase"] as? String == "cleaned")
    // And the events the two runs printed are exactly the journal's, but for the open (version 1)
    // and the decision recorded between the runs
    func versions(_ lines: [[String: Any]]) -> [Int] {
      lines.filter { $0["kind"] as? String == "event" }.compactMap { $0["version"] as? Int }
    }
    let journaled = try await incident.fixture.salvage("log", "--output", "jsonl").stdout.split(
      separator: "\n"
    ).count
    let decision = versions(stopped).count + 2
    #expect(versions(stopped) + versions(lines) == Array(2...journaled).filter { $0 != decision })
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }
}
