import Foundation
import SalvageCore
import SalvageTemporal
import Synchronization

/// Tells the webhook how a run goes: it sees what the run tells its output (the state after each
/// batch of recorded events, each progress line, the conclusion), lets ``RunNotifications``
/// decide what to send, and queues it on a ``WebhookDelivery``. Nothing here waits on the
/// webhook, except ``finish(_:)`` at the run's end, for a short bounded time.
///
/// A message given up is journaled as a note (at most ``notesDuringTheRun`` while the run goes;
/// the rest, the dropped and the unsent, in one note at the end), through `journalNote`, which
/// writes as another shell's `salvage note` would: the run meets it as any other writer's event.
final class RunNotifier: Sendable {
  private let decide: Mutex<RunNotifications>
  private let delivery: WebhookDelivery
  private let elapsed: @Sendable () -> Double
  private let journalNote: @Sendable (String) -> Void
  private let shutdown: @Sendable () async -> Void
  /// Whether the run took the incident (it recorded events, or waited): a run refused before, as
  /// when another run holds the incident, never drove it and tells the channel nothing.
  private let took = Mutex(false)

  /// Notes about undelivered messages journaled while the run goes; the rest are counted at the end.
  static let notesDuringTheRun = 3

  init(
    _ decide: RunNotifications, scrubber: SecretScrubber, policy: WebhookDelivery.Policy = .init(),
    post: @escaping WebhookDelivery.Post, shutdown: @escaping @Sendable () async -> Void = {},
    elapsed: @escaping @Sendable () -> Double,
    journalNote: @escaping @Sendable (String) -> Void
  ) {
    self.decide = Mutex(decide)
    self.elapsed = elapsed
    self.journalNote = journalNote
    self.shutdown = shutdown
    let notesTaken = NotesTaken()
    delivery = WebhookDelivery(policy: policy, scrubber: scrubber, post: post) { lost in
      let mayNote = notesTaken.count.withLock { taken in
        taken += 1
        return taken <= Self.notesDuringTheRun
      }
      if mayNote { journalNote(scrubber.scrub(Self.note(lost))) }
    }
  }

  /// Events were recorded, leaving the incident in `state`.
  func recorded(after state: IncidentState) {
    let now = elapsed()
    took.withLock { $0 = true }
    for message in decide.withLock({ $0.recorded(after: state, elapsed: now) }) {
      delivery.send(message)
    }
  }

  /// A long wait's progress line.
  func progress(_ progress: RunbookRunner.Progress) {
    let now = elapsed()
    took.withLock { $0 = true }
    for message in decide.withLock({ $0.progress(progress, elapsed: now) }) {
      delivery.send(message)
    }
  }

  /// The run ended: sends its last message (ahead of what is still queued), waits a short bounded
  /// time for it and the queue, and journals one note for what was given up past the first few,
  /// dropped, or left unsent. A run that never took the incident sends nothing.
  @discardableResult
  func finish(_ conclusion: RunConclusion) async -> WebhookDelivery.Summary {
    let now = elapsed()
    let last =
      took.withLock { $0 } ? decide.withLock { $0.concluded(conclusion, elapsed: now) } : nil
    let summary = await delivery.finish(last: last)
    // The HTTP client closes its connections; a second at most, then the run goes on without it.
    _ = await WebhookDelivery.within(.seconds(1), shutdown)
    let unnoted = max(0, summary.givenUp - Self.notesDuringTheRun)
    if unnoted + summary.dropped + summary.leftOver > 0 {
      journalNote(
        "salvage: of this run's notifications to the --notify webhook, "
          + [
            unnoted > 0 ? "\(unnoted) more could not be delivered" : nil,
            summary.dropped > 0 ? "\(summary.dropped) were dropped (the queue was full)" : nil,
            summary.leftOver > 0
              ? "\(summary.leftOver) were still unsent when the run ended "
                + "(\(delivery.policy.flushWithin.components.seconds) s later)"
              : nil,
          ].compactMap { $0 }.joined(separator: ", "))
    }
    return summary
  }

  /// How many notes about undelivered messages the run journaled.
  private final class NotesTaken: Sendable {
    let count = Mutex(0)
  }

  /// The note about a message given up: why, and what it said (cut to a note's length).
  static func note(_ lost: WebhookDelivery.Undelivered) -> String {
    let said = String(lost.notification.text.prefix(1_000))
    return "salvage could not deliver a notification to the --notify webhook "
      + "(\(lost.attempts) \(lost.attempts == 1 ? "attempt" : "attempts"); \(lost.reason)): \(said)"
  }
}
