import Foundation
import SalvageCore
import SalvageTemporal
import Testing

@testable import SalvageCLI

extension WebhookDeliveryTests {
  /// A run's notifier whose webhook answers 200 and keeps each body in `posted`.
  static func notifier(posting posted: Notes) -> RunNotifier {
    RunNotifier(
      RunNotifications(
        incident: RunNotificationsTests.incident, command: "salvage run", phase: .opened,
        stallAfter: 600),
      scrubber: SecretScrubber(secrets: []),
      post: { body, _ in
        posted.add(String(decoding: body, as: UTF8.self))
        return .status(200)
      }, elapsed: { 1 }, journalNote: { _ in })
  }

  @Test("A run refused before it took the incident posts nothing to the channel")
  func aRunRefusedBeforeItTookTheIncidentPostsNothing() async {
    // Given a run's notifier and a webhook that answers 200
    let posted = Notes()
    let notifier = Self.notifier(posting: posted)
    // When the run ends refused, another run holding the incident, before it recorded anything
    let summary = await notifier.finish(
      RunConclusion(
        failure: CommandError(status: .leaseHeld, description: "run r-2 holds incident inc-1"),
        incident: RunNotificationsTests.incident))
    // Then the channel got nothing, and nothing was counted as lost
    #expect(posted.all.isEmpty, "\(posted.all)")
    #expect(summary == .init())
  }

  @Test("A run that took the incident posts its end, even when it ends failed")
  func aRunThatTookTheIncidentPostsItsEnd() async {
    // Given a run's notifier and a webhook that answers 200
    let posted = Notes()
    let notifier = Self.notifier(posting: posted)
    // When the run recorded its taking of the incident (no phase change), then failed
    notifier.recorded(after: RunNotificationsTests.state(after: []))
    let summary = await notifier.finish(
      RunConclusion(
        failure: CommandError(status: .leaseHeld, description: "run r-2 took incident inc-1"),
        incident: RunNotificationsTests.incident))
    // Then its end was posted
    #expect(posted.all.count == 1)
    #expect(posted.all.first?.contains("the run of incident inc-1 ended (exit") == true)
    #expect(summary.delivered == 1)
  }
}
