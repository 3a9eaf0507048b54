import Foundation
import SalvageCore

/// The timeline as one self-contained HTML page: inline CSS and an inline SVG chart of affected
/// executions over time with the phases as bands. Nothing is loaded from a network.
enum TimelineHTML {
  static func render(_ timeline: Timeline) -> String {
    let markdownTitle = "Incident \(timeline.incident)" + (timeline.state.details.map { ": \($0.title)" } ?? "")
    var body = "<h1>\(escape(markdownTitle))</h1>\n<p class=\"note\">All times are UTC.</p>\n"
    body += summary(timeline)
    body += "<h2>Affected executions over time</h2>\n" + chart(timeline)
    body += table("Phases", ["Phase", "Start", "End", "Duration"], timeline.phases.map {
      [$0.phase, $0.start.description, $0.end?.description ?? "ongoing", TimelineMarkdown.duration($0.seconds)]
    })
    body += table("Affected executions", ["Workflow Type", "Status", "Count", "With reported problems"], timeline.affected.map {
      [$0.workflowType, $0.status.rawValue, String($0.count), String($0.withReportedProblems)]
    })
    body += table("Decisions", ["Workflow Type", "Strategy", "Target build", "Source", "Rationale"], timeline.decisions.map {
      [$0.workflowType, $0.strategy.rawValue, $0.targetBuild, $0.source.rawValue, $0.rationale]
    })
    body += table("Commands", ["Action", "Outcome", "Batch job", "Counts", "Started", "Command"], timeline.commands.map {
      [$0.action, $0.outcome, $0.batchJob ?? "", $0.batchCounts ?? "", $0.startedAt.description, $0.command]
    }, codeColumn: 5)
    body += table("Events", ["#", "Time", "Actor", "Step", "Event", "Summary"], timeline.entries.map {
      [String($0.version), $0.at.description, $0.actor, $0.step, $0.type, $0.summary]
    })
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>\(escape(markdownTitle))</title>
      <style>
      body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#1d2330;padding:0 1em}
      h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}.note{color:#5a6274}
      table{border-collapse:collapse;width:100%;margin:.4em 0}td,th{border:1px solid #d5d9e2;padding:.25em .5em;text-align:left;vertical-align:top}
      th{background:#f1f3f7}code{font:12px ui-monospace,monospace;word-break:break-all}
      svg text{font:11px system-ui,sans-serif;fill:#1d2330}
      </style></head><body>
      \(body)</body></html>

      """
  }

  private static func summary(_ timeline: Timeline) -> String {
    let state = timeline.state
    var rows: [[String]] = []
    if let details = state.details {
      rows.append(["Deployment", "\(details.deployment) (namespace \(details.namespace))"])
      rows.append(["Bad build", details.badBuild])
      rows.append(["Good build", details.goodBuild])
      rows.append(["Opened", "\(details.openedAt) by \(details.openedBy)"])
    }
    rows.append(["Phase", state.phase?.rawValue ?? "not opened"])
    rows.append(["Time to recovery (opened to drained)", TimelineMarkdown.duration(timeline.timeToRecovery)])
    rows.append(["Time to clean (opened to cleaned)", TimelineMarkdown.duration(timeline.timeToClean)])
    return "<table>" + rows.map { "<tr><th>\(escape($0[0]))</th><td>\(escape($0[1]))</td></tr>" }.joined() + "</table>\n"
  }

  private static let colors = [
    "opened": "#fde2e1", "stopped": "#fdebd3", "identified": "#fdf5c9", "recovering": "#e3f1d4",
    "drained": "#d6ecf5", "cleaned": "#e4e0f5", "closed": "#e8e8e8",
  ]

  /// An SVG step chart: Running affected executions over time, phases as background bands.
  static func chart(_ timeline: Timeline) -> String {
    let width = 1000.0, height = 250.0, left = 50.0, bottom = 30.0, top = 34.0
    guard let first = timeline.entries.first?.at.millisecondsSinceEpoch,
      let last = timeline.entries.last?.at.millisecondsSinceEpoch
    else { return "<p>No events.</p>\n" }
    let span = Double(max(last - first, 1))
    let peak = Double(max(timeline.series.map(\.running).max() ?? 0, 1))
    func x(_ time: UTCTime) -> Double { left + (width - left - 10) * Double(time.millisecondsSinceEpoch - first) / span }
    func y(_ value: Int) -> Double { top + (height - top - bottom) * (1 - Double(value) / peak) }
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
      + "aria-label=\"Affected Running executions over time, with the phases as bands\">"
    for (index, phase) in timeline.phases.enumerated() {
      let start = x(phase.start), end = x(phase.end ?? UTCTime(millisecondsSinceEpoch: last))
      svg += "<rect x=\"\(fmt(start))\" y=\"\(fmt(top))\" width=\"\(fmt(max(end - start, 1)))\" "
        + "height=\"\(fmt(height - top - bottom))\" fill=\"\(colors[phase.phase] ?? "#eee")\"/>"
      // Two label rows, so short phases side by side stay readable; the last label stays inside.
      let row = top - 6 - Double(index % 2) * 13
      let anchor = start > width - 90 ? " text-anchor=\"end\"" : ""
      let labelX = start > width - 90 ? width - 10 : start + 3
      svg += "<text x=\"\(fmt(labelX))\" y=\"\(fmt(row))\"\(anchor)>\(escape(phase.phase))</text>"
    }
    var points: [String] = []
    var current = 0
    for point in timeline.series {
      points.append("\(fmt(x(point.at))),\(fmt(y(current)))")
      current = point.running
      points.append("\(fmt(x(point.at))),\(fmt(y(current)))")
    }
    points.append("\(fmt(x(UTCTime(millisecondsSinceEpoch: last)))),\(fmt(y(current)))")
    svg += "<polyline fill=\"none\" stroke=\"#c0392b\" stroke-width=\"2\" points=\"\(fmt(left)),\(fmt(y(0))) "
      + points.joined(separator: " ") + "\"/>"
    svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(0)))\" x2=\"\(fmt(width - 10))\" y2=\"\(fmt(y(0)))\" stroke=\"#1d2330\"/>"
    svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(y(0)))\" stroke=\"#1d2330\"/>"
    svg += "<text x=\"4\" y=\"\(fmt(y(Int(peak)) + 4))\">\(Int(peak))</text><text x=\"4\" y=\"\(fmt(y(0)))\">0</text>"
    svg += "<text x=\"\(fmt(left))\" y=\"\(fmt(height - 8))\">\(UTCTime(millisecondsSinceEpoch: first)) UTC</text>"
    svg += "<text x=\"\(fmt(width - 10))\" y=\"\(fmt(height - 8))\" text-anchor=\"end\">\(UTCTime(millisecondsSinceEpoch: last)) UTC</text>"
    return svg + "</svg>\n"
  }

  private static func table(_ title: String, _ header: [String], _ rows: [[String]], codeColumn: Int? = nil) -> String {
    var html = "<h2>\(escape(title))</h2>\n"
    guard !rows.isEmpty else { return html + "<p>None.</p>\n" }
    html += "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
    for row in rows {
      html += "<tr>" + row.enumerated().map { index, text in
        index == codeColumn ? "<td><code>\(escape(text))</code></td>" : "<td>\(escape(text))</td>"
      }.joined() + "</tr>"
    }
    return html + "</table>\n"
  }

  /// Text as HTML: `&`, `<`, `>` and `"` as entities (every attribute is double-quoted), control
  /// characters but the line feed escaped (``VisibleText``), so no text from the journal becomes
  /// markup or drives a terminal the page is printed to.
  static func escape(_ text: String) -> String {
    VisibleText.escaped(text, keepingLineFeeds: true).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
