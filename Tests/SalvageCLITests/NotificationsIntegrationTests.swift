import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

/// `salvage run --notify` on a real dev server with real workers, posting to a webhook the test
/// starts on loopback: the receiver gets each phase change, the stop for a decision with the
/// command to run, and the end; a receiver that is down never fails the run and is noted; the
/// webhook's address shows nowhere.
@Suite(.tags(.integration), .serialized) struct NotificationsIntegrationTests {
  static let token = "hushHushWebhookToken42"

  /// A Current rollout of 2 stuck OrderWorkflow and 1 failed run, bad workers stopped.
  func rollout() async throws -> RunbookIncident {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, failed: 1)
    try await scenario.stopWorker("bad")
    return try await RunbookIncident(scenario)
  }

  /// Every output and the journal's bytes, for "the address shows nowhere".
  func everything(_ incident: RunbookIncident, _ results: [SalvageProcess.Result]) async throws
    -> String
  {
    let journal = [incident.fixture.journal, incident.fixture.journal + "-wal"].compactMap {
      try? Data(contentsOf: URL(fileURLWithPath: $0))
    }.map { String(decoding: $0, as: UTF8.self) }
    return (results.flatMap { [$0.stdout, $0.stderr] } + journal).joined(separator: "\n")
      + (try await incident.fixture.rawLog())
  }

  @Test func aRunPostsEachPhaseChangeTheStopForADecisionAndItsEndToTheWebhook() async throws {
    // Given a bad rollout and a webhook that answers, named by SALVAGE_NOTIFY_URL
    let incident = try await rollout()
    let receiver = try WebhookReceiver()
    defer { receiver.stop() }
    let environment = ["SALVAGE_NOTIFY_URL": receiver.url()]
    // When a run stops for a decision, the operator decides, and a second run goes on to cleaned
    let first = try await incident.salvage(["run", "--yes"], environment: environment)
    try await incident.decide("OrderWorkflow", restartable: true)
    let second = try await incident.salvage(
      ["run", "--yes", "--notify-stall-after", "1"], environment: environment)
    #expect(first.status == 10, "\(first.stderr)")
    #expect(second.status == 0, "\(second.stderr)\n\(second.stdout)")
    // Then the receiver got every phase change in order, the stop for the decision with the
    // command to run, and the end of the run that cleaned it
    let facts = receiver.delivered.compactMap {
      (try? JSONSerialization.jsonObject(with: $0) as? [String: Any])?["salvage"] as? [String: Any]
    }
    let phases = facts.filter { $0["kind"] as? String == "phaseChanged" }.compactMap {
      $0["phase"] as? String
    }
    #expect(phases == ["stopped", "identified", "recovering", "drained", "cleaned"])
    let stop = try #require(facts.first { $0["kind"] as? String == "humanNeeded" })
    #expect(stop["exit"] as? Int == 10)
    #expect((stop["command"] as? String)?.hasPrefix("salvage decide --type OrderWorkflow") == true)
    let end = try #require(facts.last)
    #expect(end["kind"] as? String == "ended")
    #expect(end["exit"] as? Int == 0)
    #expect(end["phase"] as? String == "cleaned")
    // And every body is the Slack shape, posted as JSON
    for request in receiver.requests {
      #expect(request.contentType == "application/json")
      #expect(request.json?["text"] is String)
      #expect((request.json?["attachments"] as? [[String: Any]])?.first?["fields"] != nil)
    }
    // And the webhook's address shows in no output and not in the journal
    let seen = try await everything(incident, [first, second])
    #expect(!seen.contains(Self.token))
    #expect(!seen.contains("127.0.0.1:\(receiver.port)"))
    // The bodies as the receiver got them, for the record
    for request in receiver.requests {
      print("notification received: " + String(decoding: request.body, as: UTF8.self))
    }
  }

  @Test func aWebhookThatIsDownNeverFailsTheRunAndIsNotedWithoutItsAddress() async throws {
    // Given a decided bad rollout and a webhook address where nothing listens
    let incident = try await rollout()
    try await incident.decide("OrderWorkflow", restartable: true)
    let port = try WebhookReceiver.downPort()
    let url = "http://127.0.0.1:\(port)/services/T0/B0/\(Self.token)"
    // When the run is given it by --notify
    let clock = ContinuousClock()
    let start = clock.now
    let run = try await incident.salvage(["run", "--yes", "--notify", url])
    let took = clock.now - start
    // Then the run cleans the incident as it would without it
    #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
    #expect(run.stdout.contains("is cleaned"))
    #expect(took < .seconds(60))
    // And the journal notes what was not delivered (each post waits out its 5 s deadline while
    // the client tries to connect, so a short run ends with its messages still unsent), and
    // verifies
    let log = try await incident.fixture.salvage("log", "--output", "jsonl").stdout
    let notes = log.split(separator: "\n").filter { $0.contains("\"NoteAdded\"") }
    #expect(
      notes.contains {
        $0.contains("could not deliver a notification to the --notify webhook")
          || $0.contains("were still unsent when the run ended (3 s later)")
      }, "\(notes)")
    #expect(try await incident.fixture.salvage("verify").status == 0)
    // And the address shows nowhere
    let seen = try await everything(incident, [run])
    #expect(!seen.contains(Self.token))
    #expect(!seen.contains("127.0.0.1:\(port)"))
    print("run with a webhook that is down took \(took); its notes: \(notes)")
  }

  @Test func aWebhookThatRefusesIsNotedDuringTheRunWhichStillCleansTheIncident() async throws {
    // Given a decided bad rollout and a webhook that answers 404 (a revoked token: not retried)
    let incident = try await rollout()
    try await incident.decide("OrderWorkflow", restartable: true)
    let receiver = try WebhookReceiver(answering: .status(404))
    defer { receiver.stop() }
    // When the run is given it by SALVAGE_NOTIFY_URL
    let run = try await incident.salvage(
      ["run", "--yes"], environment: ["SALVAGE_NOTIFY_URL": receiver.url()])
    // Then each message was posted once, and the run cleaned the incident though its notes
    // were journaled while it held the incident
    #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
    #expect(run.stdout.contains("is cleaned"))
    #expect(receiver.requests.count >= 4)
    #expect(receiver.requests.allSatisfy { $0.status == 404 })
    let log = try await incident.fixture.salvage("log", "--output", "jsonl").stdout
    let notes = log.split(separator: "\n").filter { $0.contains("\"NoteAdded\"") }
    #expect(notes.count >= 2, "\(notes)")
    #expect(
      notes.first?.contains(
        "salvage could not deliver a notification to the --notify webhook (1 attempt; HTTP 404): "
          + "salvage: incident inc-1 is now") == true, "\(notes)")
    // And the journal verifies, and shows no part of the address
    #expect(try await incident.fixture.salvage("verify").status == 0)
    let seen = try await everything(incident, [run])
    #expect(!seen.contains(Self.token))
    #expect(!seen.contains("127.0.0.1:\(receiver.port)"))
  }

  @Test func aWaitForTheBadWorkersIsSaidToStallAndTheStopForThemNamesTheCommandToRunAgain()
    async throws
  {
    // Given a decided bad rollout whose bad workers still poll
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, failed: 1)
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    let receiver = try WebhookReceiver()
    defer { receiver.stop() }
    // When the run waits 15 s for them (its progress comes every 10 s), stalls told after 5 s
    let run = try await incident.salvage(
      ["run", "--yes", "--poller-wait", "15", "--notify-stall-after", "5"],
      environment: ["SALVAGE_NOTIFY_URL": receiver.url()])
    // Then it stops for a person (exit 11), and the webhook was told the wait stalled, then
    // that the workers must be stopped, with the command to run again
    #expect(run.status == 11, "\(run.stderr)")
    let facts = receiver.delivered.compactMap {
      (try? JSONSerialization.jsonObject(with: $0) as? [String: Any])?["salvage"] as? [String: Any]
    }
    let stalls = facts.filter { $0["kind"] as? String == "stalled" }
    #expect(!stalls.isEmpty)
    #expect(stalls.allSatisfy { ($0["waitedSeconds"] as? Int ?? 0) >= 5 })
    let stop = try #require(facts.last)
    #expect(stop["kind"] as? String == "humanNeeded")
    #expect(stop["exit"] as? Int == 11)
    #expect(stop["command"] as? String == "salvage run --incident inc-1")
    for request in receiver.requests
    where (request.json?["salvage"] as? [String: Any])?["kind"] as? String != "phaseChanged" {
      print("notification received: " + String(decoding: request.body, as: UTF8.self))
    }
  }
}
