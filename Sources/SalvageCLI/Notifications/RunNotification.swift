import Foundation
import SalvageTemporal

/// One message a run posts to the `--notify` webhook, in the shape Slack-compatible incoming
/// webhooks accept: a `text` line for the channel, an attachment whose `fields` show the facts
/// (Slack, Mattermost and Rocket.Chat render them), and the same facts under `salvage` for bots.
struct RunNotification: Equatable, Sendable {
  /// Why it was sent.
  enum Kind: String, Sendable {
    /// The incident moved to another phase.
    case phaseChanged
    /// The run stopped for a person (exit 10, 11 or 13): the message says what to do and the
    /// command to run then.
    case humanNeeded
    /// A wait (a batch, drainage, the bad workers) has gone on past the threshold.
    case stalled
    /// The run ended (done, reached its phase, or failed).
    case ended
  }

  let kind: Kind
  let incident: String
  /// The line a channel shows.
  let text: String
  var phase: String?
  var previousPhase: String?
  var outcome: String?
  var exit: Int32?
  /// What to run next, for a person.
  var command: String?
  /// How long the stalled wait has gone on.
  var waitedSeconds: Int?
  /// Seconds since the run began.
  var elapsedSeconds: Int
  /// Messages dropped before this one because the queue was full.
  var dropped = 0

  init(kind: Kind, incident: String, text: String, elapsedSeconds: Int) {
    self.kind = kind
    self.incident = incident
    self.text = text
    self.elapsedSeconds = elapsedSeconds
  }

  /// The JSON body posted, every string scrubbed of every secret before it is encoded, control
  /// and bidi characters escaped.
  func body(scrubbing scrubber: SecretScrubber) -> Data {
    let clean = { (text: String) in scrubber.scrub(text) }
    var fields = [Field(title: "Incident", value: clean(incident), short: true)]
    if let phase { fields.append(Field(title: "Phase", value: clean(phase), short: true)) }
    if let outcome { fields.append(Field(title: "Outcome", value: clean(outcome), short: true)) }
    if let exit { fields.append(Field(title: "Exit", value: String(exit), short: true)) }
    if let waitedSeconds {
      fields.append(
        Field(title: "Waiting", value: ProgressLine.clock(Double(waitedSeconds)), short: true))
    }
    if let command { fields.append(Field(title: "Run", value: clean(command), short: false)) }
    if dropped > 0 {
      fields.append(
        Field(title: "Dropped", value: "\(dropped) earlier notifications", short: true))
    }
    let message = Message(
      text: clean(text),
      attachments: [Attachment(color: color, fallback: clean(text), fields: fields)],
      salvage: Facts(
        kind: kind.rawValue, incident: clean(incident), phase: phase.map(clean),
        previousPhase: previousPhase.map(clean), outcome: outcome.map(clean), exit: exit,
        command: command.map(clean), waitedSeconds: waitedSeconds,
        elapsedSeconds: elapsedSeconds, dropped: dropped))
    // Keys sorted, and DEL, C1 and bidi controls escaped as in all of salvage's JSON (so server
    // text cannot spoof a channel). Strings and numbers only: failing to encode them is a bug.
    guard let json = try? JSONOutput.render(message, pretty: false) else {
      preconditionFailure("cannot encode a notification")
    }
    return Data(json.utf8)
  }

  /// Slack's attachment colours: green when done, amber for a person or a stall, red on failure.
  private var color: String {
    switch kind {
    case .phaseChanged: "#439FE0"
    case .humanNeeded, .stalled: "warning"
    case .ended: exit == 0 ? "good" : "danger"
    }
  }

  private struct Message: Encodable {
    let text: String
    let attachments: [Attachment]
    let salvage: Facts
  }

  private struct Attachment: Encodable {
    let color: String
    let fallback: String
    let fields: [Field]
  }

  private struct Field: Encodable {
    let title: String
    let value: String
    let short: Bool
  }

  private struct Facts: Encodable {
    let kind: String
    let incident: String
    let phase: String?
    let previousPhase: String?
    let outcome: String?
    let exit: Int32?
    let command: String?
    let waitedSeconds: Int?
    let elapsedSeconds: Int
    let dropped: Int
  }
}
