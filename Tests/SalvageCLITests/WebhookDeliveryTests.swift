import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Synchronization
import Testing

@testable import SalvageCLI

/// Delivering a run's notifications to a local webhook started by the test, over real HTTP: one
/// that answers, one that fails, one that is down and one that is slow. A notification never
/// blocks the run, is tried a few times, then given up with a journaled note that never names
/// the webhook's address.
@Suite(.tags(.integration), .serialized) struct WebhookDeliveryTests {
  /// Short pauses between attempts, so the tests take seconds; the default is 1, 2 and 4 s.
  static let quick = WebhookDelivery.Policy(
    capacity: 16, timeout: .seconds(1),
    backoff: [.milliseconds(50), .milliseconds(100), .milliseconds(200)],
    flushWithin: .seconds(3))

  /// A notifier posting to `url` through the live HTTP client, noting into `notes`.
  static func notifier(
    _ url: String, policy: WebhookDelivery.Policy = quick, notes: Notes,
    stallAfter: Double = 600
  ) async throws -> RunNotifier {
    let address = try WebhookAddress(url)
    let post = WebhookPost(address)
    return RunNotifier(
      RunNotifications(
        incident: RunNotificationsTests.incident, command: "salvage run", phase: .opened,
        stallAfter: stallAfter),
      scrubber: SecretScrubber(secrets: address.secrets), policy: policy,
      post: { body, timeout in await post(body, timeout: timeout) },
      shutdown: { await post.shutdown() }, elapsed: { 1 }, journalNote: { notes.add($0) })
  }

  /// The notes a notifier journaled.
  final class Notes: Sendable {
    private let texts = Mutex<[String]>([])
    func add(_ text: String) { texts.withLock { $0.append(text) } }
    var all: [String] { texts.withLock { $0 } }
  }

  static let closed = RunNotificationsTests.state(after: [.closed(IncidentClosed(reason: "done"))])

  @Test("A receiver that answers gets each message once, in order, as JSON, and nothing is noted")
  func aReceiverThatAnswersGetsEachMessageOnceInOrder() async throws {
    // Given a webhook that answers 200
    let receiver = try WebhookReceiver()
    defer { receiver.stop() }
    let notes = Notes()
    let notifier = try await Self.notifier(receiver.url(), notes: notes)
    // When the incident changes phase and the run finishes
    notifier.recorded(after: Self.closed)
    let summary = await notifier.finish(
      RunConclusion(.closed, incident: RunNotificationsTests.incident))
    // Then the webhook got the phase change, then the end, posted as JSON to its path
    #expect(summary == .init(delivered: 2))
    let kinds = receiver.requests.compactMap {
      ($0.json?["salvage"] as? [String: Any])?["kind"] as? String
    }
    #expect(kinds == ["phaseChanged", "ended"])
    #expect(receiver.requests.allSatisfy { $0.contentType == "application/json" })
    #expect(receiver.requests.first?.path == "/services/T0SALVAGE/B0SALVAGE/hushHushWebhookToken42")
    #expect(notes.all.isEmpty)
  }

  @Test("A receiver that fails twice gets the message on the third attempt")
  func aReceiverThatFailsTwiceGetsTheMessageOnTheThirdAttempt() async throws {
    // Given a webhook that answers 500 twice, then 200
    let receiver = try WebhookReceiver(answering: .failingFirst(count: 2, status: 500))
    defer { receiver.stop() }
    let notes = Notes()
    let notifier = try await Self.notifier(receiver.url(), notes: notes)
    // When a run that took the incident (no phase change) ends
    notifier.recorded(after: RunNotificationsTests.state(after: []))
    let summary = await notifier.finish(
      RunConclusion(.finished, incident: RunNotificationsTests.incident))
    // Then the same body was posted three times and delivered the third
    #expect(receiver.requests.map(\.status) == [500, 500, 200])
    #expect(Set(receiver.requests.map(\.body)).count == 1)
    #expect(summary.delivered == 1)
    #expect(notes.all.isEmpty)
  }

  @Test(
    "A receiver that always fails is tried four times, then given up with a note that hides its address"
  )
  func aReceiverThatAlwaysFailsIsGivenUpWithANote() async throws {
    // Given a webhook that always answers 500
    let receiver = try WebhookReceiver(answering: .status(500))
    defer { receiver.stop() }
    let notes = Notes()
    // (time enough at the end for both messages' attempts, however loaded the machine)
    var policy = Self.quick
    policy.flushWithin = .seconds(15)
    let notifier = try await Self.notifier(receiver.url(), policy: policy, notes: notes)
    // When the incident changes phase and the run ends
    notifier.recorded(after: Self.closed)
    let summary = await notifier.finish(
      RunConclusion(.closed, incident: RunNotificationsTests.incident))
    // Then each message was tried four times and given up, and each is noted with why and what
    #expect(receiver.requests.count == 8)
    #expect(summary.givenUp == 2)
    #expect(notes.all.count == 2)
    #expect(
      notes.all.first
        == "salvage could not deliver a notification to the --notify webhook (4 attempts; HTTP 500): "
        + "salvage: incident inc-1 is now closed (was opened)")
    // And no note names the address or its token
    for note in notes.all {
      #expect(!note.contains("127.0.0.1:\(receiver.port)"))
      #expect(!note.contains("hushHushWebhookToken42"))
    }
  }

  @Test(
    "A receiver that is down is given up without delaying the run, and the note says it could not connect"
  )
  func aReceiverThatIsDownIsGivenUpWithANote() async throws {
    // Given a webhook address where nothing listens
    let port = try WebhookReceiver.downPort()
    let notes = Notes()
    // (the client keeps trying to connect until a post's deadline: give both messages time)
    var policy = Self.quick
    policy.flushWithin = .seconds(15)
    let notifier = try await Self.notifier(
      "http://127.0.0.1:\(port)/services/hushHushWebhookToken42", policy: policy, notes: notes)
    // When the run tells it a phase change: the call returns at once
    let clock = ContinuousClock()
    let told = clock.measure { notifier.recorded(after: Self.closed) }
    let summary = await notifier.finish(
      RunConclusion(.closed, incident: RunNotificationsTests.incident))
    // Then telling did not wait on a post (each may try to connect for 1 s), and both messages
    // were given up and noted
    #expect(told < .seconds(1), "\(told)")
    #expect(summary.givenUp == 2)
    #expect(notes.all.first?.contains("(4 attempts; could not connect)") == true, "\(notes.all)")
  }

  @Test(
    "A slow receiver never holds the run: telling returns at once, the end waits its bound at most, and what is left is noted"
  )
  func aSlowReceiverNeverHoldsTheRun() async throws {
    // Given a webhook that answers only after 10 s, with posts timing out after 1 s
    let delay = 10.0
    let receiver = try WebhookReceiver(answering: .slow(seconds: delay))
    defer { receiver.stop() }
    let notes = Notes()
    let notifier = try await Self.notifier(receiver.url(), notes: notes)
    let clock = ContinuousClock()
    // When the run tells it a phase change and ends
    let told = clock.measure { notifier.recorded(after: Self.closed) }
    let start = clock.now
    let summary = await notifier.finish(
      RunConclusion(.closed, incident: RunNotificationsTests.incident))
    let ended = clock.now - start
    // Then telling did not wait on the receiver, and the end waited its 3 s bound, not the
    // receiver's 10 s (margins for a loaded machine: the bound and the client's shutdown are 4 s)
    #expect(told < .seconds(delay / 2), "\(told)")
    #expect(ended < .seconds(delay), "\(ended)")
    #expect(ended >= .seconds(3), "\(ended)")
    // And what was not delivered by then is counted in one note
    #expect(summary.delivered == 0)
    #expect(summary.leftOver >= 1)
    #expect(notes.all.last?.contains("were still unsent when the run ended (3 s later)") == true)
  }

  @Test(
    "A full queue drops the oldest messages, and the next message and the end's note count them")
  func aFullQueueDropsTheOldestAndCountsThem() async throws {
    // Given a webhook that is slow to answer, and a queue of 2
    let receiver = try WebhookReceiver(answering: .slow(seconds: 0.3))
    defer { receiver.stop() }
    let notes = Notes()
    var policy = Self.quick
    policy.capacity = 2
    policy.flushWithin = .seconds(5)
    let notifier = try await Self.notifier(
      receiver.url(), policy: policy, notes: notes, stallAfter: 1)
    // When six stalls are told at once, then the run ends
    for waited in 1...6 {
      notifier.progress(.batch(job: "job-1", complete: 0, total: 1, waited: waited))
    }
    let summary = await notifier.finish(
      RunConclusion(.closed, incident: RunNotificationsTests.incident))
    // Then the first was in flight, the oldest waiting ones were dropped, and the messages
    // delivered say how many (each counted once, though a retried one is posted again)
    #expect(summary.dropped >= 3, "\(summary)")
    let dropped = Set(receiver.delivered).compactMap {
      (((try? JSONSerialization.jsonObject(with: $0)) as? [String: Any])?["salvage"]
        as? [String: Any])?["dropped"] as? Int
    }
    #expect(dropped.reduce(0, +) == summary.dropped)
    #expect(notes.all.last?.contains("were dropped (the queue was full)") == true)
  }
}
