import Foundation
import SalvageCore
import SalvageJournal
import SalvageTemporal

/// What a run needs to notify: the options, and the command it was started as.
struct NotifyRequest {
  let options: NotifyOptions
  /// `salvage run`, or a step's command (`salvage drain`): what a person runs again.
  let command: String
}

extension RunbookSession {
  /// The run's notifier, posting to `address`. Every secret of the connection and every part of
  /// the webhook's address are scrubbed from what it posts and journals. A note about an
  /// undelivered message is written as another shell's `salvage note` would be, through its own
  /// connection to the journal, and a failure to write it is ignored: notifying never fails a run.
  static func notifier(
    _ request: NotifyRequest, address: WebhookAddress, incident: IncidentID,
    state: IncidentState, endpoint: GRPCEndpoint, store: SQLiteEventJournal, actor: String
  ) -> RunNotifier {
    let post = WebhookPost(address)
    let path = store.path
    let started = ContinuousClock.now
    return RunNotifier(
      RunNotifications(
        incident: incident, command: request.command, phase: state.phase,
        stallAfter: request.options.notifyStallAfter ?? NotifyOptions.defaultStallAfter),
      scrubber: SecretScrubber(secrets: endpoint.secrets),
      post: { body, timeout in await post(body, timeout: timeout) },
      shutdown: { await post.shutdown() },
      elapsed: { (ContinuousClock.now - started) / .seconds(1) },
      journalNote: { text in
        guard
          let journal = try? SQLiteEventJournal(path: path, create: false, now: LiveEnvironment.now)
        else { return }
        _ = try? IncidentOwner.writer(journal, incident, actor: actor).update { _ in
          [.noteAdded(NoteAdded(text: text))]
        }
      })
  }
}
