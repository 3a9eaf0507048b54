import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

@testable import SalvageCLI

/// Which notifications a run sends, and the JSON body a webhook gets: decided from what the run
/// tells its output, with no webhook involved.
@Suite struct RunNotificationsTests {
  // A literal id that is valid by construction.
  static let incident = IncidentID(rawValue: "inc-1")!

  /// The incident after `events`, recorded in order from the opening.
  static func state(after events: [IncidentEvent]) -> IncidentState {
    var state = IncidentState(incident: incident)
    for event in recordedEvents([EventFactory.opened] + events, of: incident) { state.apply(event) }
    return state
  }

  func notifications(phase: IncidentPhase? = .opened, stallAfter: Double = 600)
    -> RunNotifications
  {
    RunNotifications(
      incident: Self.incident, command: "salvage run", phase: phase, stallAfter: stallAfter)
  }

  @Test("A phase change is one message naming the new and the old phase, and no change is none")
  func aPhaseChangeIsOneMessageNamingTheNewAndTheOldPhase() throws {
    // Given a run that began with the incident opened
    var decide = notifications()
    // When events leave it opened, then closed, then closed again
    let unchanged = decide.recorded(after: Self.state(after: []), elapsed: 1)
    let changed = decide.recorded(
      after: Self.state(after: [.closed(IncidentClosed(reason: "done"))]), elapsed: 2)
    let again = decide.recorded(
      after: Self.state(after: [.closed(IncidentClosed(reason: "done"))]), elapsed: 3)
    // Then only the change is told, once, with both phases
    #expect(unchanged.isEmpty)
    #expect(again.isEmpty)
    let message = try #require(changed.first)
    #expect(changed.count == 1)
    #expect(message.kind == .phaseChanged)
    #expect(message.text == "salvage: incident inc-1 is now closed (was opened)")
    #expect(message.phase == "closed")
    #expect(message.previousPhase == "opened")
    #expect(message.elapsedSeconds == 2)
  }

  @Test(
    "A wait is said to stall once past the threshold, again at twice it, and anew after it restarts"
  )
  func aWaitIsSaidToStallPastTheThresholdAgainAtTwiceItAndAnewAfterItRestarts() throws {
    // Given a 600 s threshold
    var decide = notifications(stallAfter: 600)
    func drainage(_ waited: Int) -> RunbookRunner.Progress {
      .drainage(
        DrainageWait(
          status: .draining, runningPinned: 0, waited: waited, lastCheckedAgo: 30, refresh: 180,
          refreshSeen: false))
    }
    // When drainage is awaited 599, 600, 900, 1200 s, then a new wait 10 s and 601 s in
    let told = [599, 600, 900, 1200, 10, 601].map { decide.progress(drainage($0), elapsed: 0) }
    // Then it is told at 600 and 1200, and at 601 of the new wait, saying what it waits for
    #expect(told.map(\.count) == [0, 1, 0, 1, 0, 1])
    let first = try #require(told[1].first)
    #expect(first.kind == .stalled)
    #expect(first.waitedSeconds == 600)
    #expect(
      first.text.hasPrefix(
        "salvage: incident inc-1 has been waiting for 10 min 00 s: waiting for drainage: draining"))
  }

  @Test("A wait whose progress has no time of its own is timed from when the run first saw it")
  func aWaitWithoutItsOwnTimeIsTimedFromWhenTheRunFirstSawIt() {
    // Given a 60 s threshold and a busy batch slot first seen 100 s into the run
    var decide = notifications(stallAfter: 60)
    // When the slot is still busy 159 s and 161 s into the run
    let told = [100, 159, 161].map {
      decide.progress(.batchSlotBusy(retryIn: 5), elapsed: Double($0))
    }
    // Then the stall is told once it has gone 60 s
    #expect(told.map(\.count) == [0, 0, 1])
  }

  @Test(
    "The stops for a person carry the command to run: the decision, the run again, the run with --yes",
    arguments: [
      (
        RunbookRunner.StopReason.needsDecision(["OrderWorkflow"]), Int32(10),
        "salvage decide --type OrderWorkflow --restartable|--no-restartable [--target-build B], then salvage run --incident inc-1"
      ),
      (.needsPollersGone(["w@1"]), 11, "salvage run --incident inc-1"),
      (.blocked("deploy the replay-safe build"), 11, "salvage run --incident inc-1"),
      (.declined(["temporal", "x"]), 13, "salvage run --incident inc-1 --yes --claim-manager"),
    ])
  func theStopsForAPersonCarryTheCommandToRun(
    stop: RunbookRunner.StopReason, exit: Int32, command: String
  ) {
    // Given a run that stopped for a person
    let conclusion = RunConclusion(stop, incident: Self.incident)
    // When its end is told
    let message = notifications().concluded(conclusion, elapsed: 5)
    // Then it says a person is needed, with the exit status, its message and the command
    #expect(message.kind == .humanNeeded)
    #expect(message.exit == exit)
    #expect(message.command == command)
    #expect(
      message.text.hasPrefix("salvage: incident inc-1 needs a person (exit \(exit)): "))
    #expect(
      message.text.contains(ExitStatus.message(for: conclusion.error ?? CommandError.usage(""))))
  }

  @Test("The end of a run that finished says so, with no command, and its exit status 0")
  func theEndOfARunThatFinishedSaysSo() {
    let message = notifications().concluded(
      RunConclusion(.finished, incident: Self.incident), elapsed: 42)
    #expect(message.kind == .ended)
    #expect(message.exit == 0)
    #expect(message.command == nil)
    #expect(message.phase == "cleaned")
    #expect(
      message.text
        == "salvage: the run of incident inc-1 ended (exit 0): Incident inc-1 is cleaned.")
  }

  @Test("The body has Slack's text and attachment fields, and the facts under salvage")
  func theBodyHasSlacksTextAndAttachmentFieldsAndTheFactsUnderSalvage() throws {
    // Given a run that needs a decision
    let message = notifications().concluded(
      RunConclusion(.needsDecision(["OrderWorkflow"]), incident: Self.incident), elapsed: 7)
    // When its body is made
    let body = message.body(scrubbing: SecretScrubber(secrets: []))
    let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    // Then `text` is the line, the attachment's fields show the facts, and `salvage` holds them
    #expect(json["text"] as? String == message.text)
    let attachment = try #require((json["attachments"] as? [[String: Any]])?.first)
    let fields = try #require(attachment["fields"] as? [[String: Any]])
    #expect(
      fields.compactMap { $0["title"] as? String } == [
        "Incident", "Phase", "Outcome", "Exit", "Run",
      ])
    #expect(fields.first?["value"] as? String == "inc-1")
    #expect(attachment["color"] as? String == "warning")
    let facts = try #require(json["salvage"] as? [String: Any])
    #expect(facts["kind"] as? String == "humanNeeded")
    #expect(facts["exit"] as? Int == 10)
    #expect(facts["outcome"] as? String == "needsDecision")
    #expect(facts["elapsedSeconds"] as? Int == 7)
  }

  @Test("Every secret is scrubbed from the body, in every string it holds")
  func everySecretIsScrubbedFromTheBody() throws {
    // Given a message whose text and command quote the API key and the webhook's token
    let token = "T0SALVAGE/B0SALVAGE/hushHushWebhookToken42"
    let address = try WebhookAddress("https://hooks.example.com/services/\(token)")
    var message = RunNotification(
      kind: .ended, incident: "inc-1",
      text: "server said: key sekretApiKey991 at https://hooks.example.com/services/\(token)",
      elapsedSeconds: 1)
    message.command = "curl hooks.example.com/services/\(token)"
    // When its body is made with the connection's and the webhook's secrets
    let body = String(
      decoding: message.body(
        scrubbing: SecretScrubber(secrets: ["sekretApiKey991"] + address.secrets)), as: UTF8.self)
    // Then neither shows, in any form, and the masks stand in their place
    for secret in ["sekretApiKey991", "hushHushWebhookToken42", "B0SALVAGE"] {
      for form in EchoingTemporalServer.encodings(of: secret) {
        #expect(!body.contains(form), "\(form)")
      }
    }
    #expect(body.contains("key <redacted> at <redacted>"))
  }

  @Test(
    "Server text cannot drive a terminal or reorder a channel's line: controls and bidi stay escaped"
  )
  func serverTextCannotDriveATerminalOrReorderAChannelsLine() {
    // Given a message quoting server text with an escape sequence, DEL, C1 and a bidi override
    let message = RunNotification(
      kind: .ended, incident: "inc-1", text: "said \u{1B}[31m \u{7F} \u{85} \u{202E}evil",
      elapsedSeconds: 1)
    // When its body is made
    let body = String(
      decoding: message.body(scrubbing: SecretScrubber(secrets: [])), as: UTF8.self)
    // Then none of them is there raw, each is a JSON escape
    for raw in ["\u{1B}", "\u{7F}", "\u{85}", "\u{202E}"] { #expect(!body.contains(raw)) }
    #expect(body.contains("\\u001b[31m"))
    #expect(body.lowercased().contains("\\u202e"))
  }
}
