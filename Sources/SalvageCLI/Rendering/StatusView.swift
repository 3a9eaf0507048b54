import Foundation
import SalvageCore

/// `salvage status` for people and for scripts.
struct StatusView: Encodable {
  let incident: String
  let phase: String?
  let title: String?
  let deployment: String?
  let namespace: String?
  let badBuild: String?
  let goodBuild: String?
  let openedAt: String?
  let openedBy: String?
  let version: Int
  let lastPosition: Int64
  let lastEventAt: String?
  let noteCount: Int
  let recentNotes: [IncidentState.Note]
  let closed: IncidentState.Closure?
  let anomalies: [IncidentState.Anomaly]
  let affected: [AffectedGroup]
  /// Per affected group, what clean-up does with its closed runs as the choices stand.
  let closedChoices: [String?]
  let unpinnedWithProblems: Int?
  let decisions: [StrategyDecided]
  let inDoubt: [String]
  /// Closed runs the server refused to reset, and recovery rounds that ended with failures.
  let failures: [RunbookProgress.Failure]
  let actions: Int
  let nextAction: String
  let nextCommand: String?
  let holder: String?
  let lease: Lease?
  let handoffs: [IncidentState.Handoff]
  /// Whether this journal drives the incident; `nil` in the journal it was opened in, until sealed.
  let custody: String?
  /// The deployment's manager identity salvage took from a controller: held, or handed back.
  let manager: String?
  /// The Versioning Overrides salvage's recovery left, by build and how.
  let pinsLeftBehind: [PinLeftBehind]
  /// What `salvage unpin` removed of them, and left pinned at its latest review.
  let pinsRemoved: PinsRemoved?
  /// Batches launched and not seen to finish, with their last recorded counts.
  let runningBatches: [String]

  init(_ state: IncidentState) {
    incident = state.incident.rawValue
    phase = state.phase?.rawValue
    title = state.details?.title
    deployment = state.details?.deployment
    namespace = state.details?.namespace
    badBuild = state.details?.badBuild
    goodBuild = state.details?.goodBuild
    openedAt = state.details?.openedAt.description
    openedBy = state.details?.openedBy
    version = state.version
    lastPosition = state.lastPosition
    lastEventAt = state.lastEventAt?.description
    noteCount = state.noteCount
    recentNotes = state.recentNotes
    closed = state.closure
    anomalies = state.anomalies
    affected = state.progress.identification?.groups ?? []
    closedChoices = affected.map(state.progress.closedChoice(for:))
    unpinnedWithProblems = state.progress.identification?.unpinnedWithProblems
    decisions = state.progress.decisions.values.sorted { $0.workflowType < $1.workflowType }
    inDoubt = state.progress.inDoubt.map(\.id)
    failures = state.progress.failures
    actions = state.progress.actions.count
    let next = Runbook.nextAction(for: state)
    nextAction = next.explanation
    nextCommand = next.command
    holder = state.holder ?? state.details?.openedBy
    lease = state.lease
    handoffs = state.handoffs
    custody = state.custody?.summary
    pinsLeftBehind = state.pinsLeftBehind
    pinsRemoved = state.pinsRemoved
    runningBatches = state.progress.runningBatches
    manager = state.progress.manager.map { held in
      held.returned.map { "handed back to '\($0.to)'" }
        ?? "salvage manages the deployment, taken from '\(held.previous)'; close hands it back"
    }
  }

  /// `pinned      3 to v1 by reset-with-move`, one line a pin, then what a pin means; none when
  /// salvage left no pin.
  static func pinLines(_ pins: [PinLeftBehind], removed: PinsRemoved?) -> [String] {
    guard !pins.isEmpty else { return [] }
    let unpin = removed.map { removed in
      [
        "  unpinned    \(removed.unpinned) by salvage unpin; its latest review left "
          + "\(removed.leftPinned) pinned"
          + (removed.leftPinned > 0
            ? " (its log line says why; a later salvage unpin looks again)" : "")
      ]
    }
    return pins.map { pin in
      let build = pin.build.map { "build \(VisibleText.flat($0))" } ?? "their types' target builds"
      return "  pinned      \(pin.executions) to \(build) by \(pin.done.rawValue)"
    } + [
      "              (Versioning Overrides salvage set: they keep these executions, their children "
        + "and continued runs on that build through later rollouts)"
    ] + (unpin ?? ["              (salvage unpin removes them once those builds may be retired)"])
  }

  /// The text form: a header line, then aligned fields. Times are UTC and say so.
  var text: String {
    var lines = ["Incident \(incident)" + (title.map { ": \(VisibleText.flat($0))" } ?? "")]
    func field(_ name: String, _ value: String?) {
      guard let value else { return }
      lines.append("  " + name.padding(toLength: 12, withPad: " ", startingAt: 0) + value)
    }
    field("phase", phase ?? "(not opened)")
    field("deployment", deployment.map { "\($0) in namespace \(namespace ?? "?")" })
    field("bad build", badBuild)
    field("good build", goodBuild)
    field("opened", openedAt.map { "\($0) UTC by \(openedBy ?? "?")" })
    field(
      "held by",
      holder.map { name in
        name
          + (lease.map { lease in
            let pid = lease.pid.map { ", pid \($0)" } ?? ""
            return " (driving on \(lease.host)\(pid), lease until \(lease.expiresAt) UTC)"
          } ?? "")
      })
    field("custody", custody)
    field("manager", manager)
    if let closed {
      field("closed", "\(closed.at) UTC by \(closed.by): \(VisibleText.flat(closed.reason))")
    }
    field("events", "\(version), last at \(lastEventAt ?? "-") UTC; \(actions) actions")
    for (group, choice) in zip(affected, closedChoices) {
      lines.append(
        "  affected    \(VisibleText.flat(group.workflowType)) \(group.status.rawValue): \(group.count) "
          + "(\(group.withReportedProblems) with reported problems)"
          + (choice.map { ", \($0)" } ?? ""))
    }
    if let unpinned = unpinnedWithProblems, unpinned > 0 {
      lines.append(
        "  warning     \(unpinned) Running with reported problems are not pinned to the bad build")
    }
    for decision in decisions {
      lines.append(
        "  decided     \(VisibleText.flat(IncidentEvent.strategyDecided(decision).summary))")
    }
    for batch in runningBatches { lines.append("  batch       \(VisibleText.flat(batch))") }
    for id in inDoubt { lines.append("  in doubt    \(id) (the next run settles it first)") }
    for failure in failures.prefix(10) {
      lines.append("  failed      \(VisibleText.flat(failure.line))")
    }
    if failures.count > 10 {
      lines.append("  failed      and \(failures.count - 10) more (salvage status --output json)")
    }
    lines += Self.pinLines(pinsLeftBehind, removed: pinsRemoved)
    field("next", nextAction + (nextCommand.map { ": \($0)" } ?? ""))
    field("notes", noteCount == 0 ? "none" : "\(noteCount)")
    for note in recentNotes {
      lines.append("    \(note.at) UTC \(note.by): \(oneLine(note.text))")
    }
    for anomaly in anomalies {
      lines.append("  warning     event \(anomaly.version): \(VisibleText.flat(anomaly.message))")
    }
    return lines.joined(separator: "\n")
  }
}

/// JSON with sorted keys, for every `--output json`; no control character in it stays raw
/// (``VisibleText/jsonSafe(_:)``).
enum JSONOutput {
  static func render(_ value: some Encodable, pretty: Bool = true) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty
      ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      : [.sortedKeys, .withoutEscapingSlashes]
    return VisibleText.jsonSafe(String(decoding: try encoder.encode(value), as: UTF8.self))
  }
}
