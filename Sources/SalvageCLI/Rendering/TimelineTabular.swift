import Foundation
import SalvageCore

/// The timeline as JSON (for scripts) and as CSV (one row per event).
enum TimelineTabular {
  struct JSONView: Encodable {
    let incident: String
    let title: String?
    let times: String
    let deployment: String?
    let namespace: String?
    let badBuild: String?
    let goodBuild: String?
    let phase: String?
    let timeToRecoverySeconds: Double?
    let timeToCleanSeconds: Double?
    let phases: [Timeline.PhaseSpan]
    let affected: [AffectedGroup]
    let decisions: [StrategyDecided]
    let commands: [Timeline.Command]
    let drainage: [Timeline.Drainage]
    let affectedOverTime: [Timeline.Point]
    let events: [Timeline.Entry]
  }

  static func json(_ timeline: Timeline) throws -> String {
    let details = timeline.state.details
    return try JSONOutput.render(JSONView(
      incident: timeline.incident.rawValue, title: details?.title, times: "UTC", deployment: details?.deployment,
      namespace: details?.namespace, badBuild: details?.badBuild, goodBuild: details?.goodBuild,
      phase: timeline.state.phase?.rawValue, timeToRecoverySeconds: timeline.timeToRecovery,
      timeToCleanSeconds: timeline.timeToClean, phases: timeline.phases, affected: timeline.affected,
      decisions: timeline.decisions, commands: timeline.commands, drainage: timeline.drainage,
      affectedOverTime: timeline.series, events: timeline.entries)) + "\n"
  }

  static func csv(_ timeline: Timeline) -> String {
    var rows = [["version", "time_utc", "actor", "step", "event", "summary"]]
    rows += timeline.entries.map { [String($0.version), $0.at.description, $0.actor, $0.step, $0.type, $0.summary] }
    return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
  }

  /// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. Control
  /// characters are escaped (``VisibleText``: a row is always one line). A cell a spreadsheet
  /// would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
  /// quoted with a `'` in front, as OWASP's CSV-injection guidance says, so it stays text.
  static func field(_ text: String) -> String {
    let formula = text.unicodeScalars.first.map { "=+-@\t\r".unicodeScalars.contains($0) } ?? false
    let visible = (formula ? "'" : "") + VisibleText.escaped(text)
    guard formula || visible.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return visible }
    return "\"" + visible.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
