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
    return try JSONOutput.render(
      JSONView(
        incident: timeline.incident.rawValue, title: details?.title, times: "UTC",
        deployment: details?.deployment,
        namespace: details?.namespace, badBuild: details?.badBuild, goodBuild: details?.goodBuild,
        phase: timeline.state.phase?.rawValue, timeToRecoverySeconds: timeline.timeToRecovery,
        timeToCleanSeconds: timeline.timeToClean, phases: timeline.phases,
        affected: timeline.affected,
        decisions: timeline.decisions, commands: timeline.commands, drainage: timeline.drainage,
        affectedOverTime: timeline.series, events: timeline.entries)) + "\n"
  }

  static func csv(_ timeline: Timeline) -> String {
    var rows = [["version", "time_utc", "actor", "step", "event", "summary"]]
    rows += timeline.entries.map {
      [String($0.version), $0.at.description, $0.actor, $0.step, $0.type, $0.summary]
    }
    return CSV.document(rows)
  }
}
