import Foundation
import SalvageCore
import SalvageTemporal
import Synchronization
import Testing

@testable import SalvageCLI

extension WebhookDeliveryTests {
  /// A webhook that answers its posts in turn with `answers` (200 past them), each after `pause`,
  /// and keeps the kind of every body posted with its answer.
  final class ScriptedWebhook: Sendable {
    private let answers: [Int]
    private let pause: Duration
    private let posted = Mutex<[(kind: String, status: Int)]>([])

    init(answers: [Int], pause: Duration) {
      self.answers = answers
      self.pause = pause
    }

    /// Every post so far: the body's `salvage.kind` and the status answered.
    var posts: [(kind: String, status: Int)] { posted.withLock { $0 } }

    func post(_ body: Data, _ timeout: Duration) async -> WebhookDelivery.PostResult {
      let facts =
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["salvage"]
        as? [String: Any]
      let status = posted.withLock { posted in
        let status = posted.count < answers.count ? answers[posted.count] : 200
        posted.append((kind: facts?["kind"] as? String ?? "", status: status))
        return status
      }
      try? await Task.sleep(for: pause)
      return .status(status)
    }
  }

  @Test(
    "The stop for a person is delivered at the end even while an earlier message is in its retries"
  )
  func theStopForAPersonIsDeliveredWhileAnEarlierMessageIsInItsRetries() async {
    // Given a webhook that answers 500, 500, then 200, each after 200 ms, and the default bounds
    // (pauses of 1 s and 2 s between attempts, 3 s for the end)
    let webhook = ScriptedWebhook(answers: [500, 500], pause: .milliseconds(200))
    let notifier = RunNotifier(
      RunNotifications(
        incident: RunNotificationsTests.incident, command: "salvage run", phase: .opened,
        stallAfter: 600),
      scrubber: SecretScrubber(secrets: []), post: webhook.post, elapsed: { 1 },
      journalNote: { _ in })
    // When the incident changes phase and the run then stops for a decision
    notifier.recorded(after: Self.closed)
    let summary = await notifier.finish(
      RunConclusion(.needsDecision(["OrderWorkflow"]), incident: RunNotificationsTests.incident))
    // Then the stop for a person, with the command to run, was delivered within the end's bound
    #expect(
      webhook.posts.contains { $0.kind == "humanNeeded" && $0.status == 200 },
      "\(webhook.posts)")
    #expect(summary.delivered >= 1, "\(summary)")
  }
}
