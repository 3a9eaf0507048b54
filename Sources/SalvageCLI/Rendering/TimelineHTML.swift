import Foundation
import SalvageCore

/// The timeline as one self-contained HTML page: inline CSS and inline SVG charts
/// (``TimelineChart``) of the executions still pinned per Workflow Type and the closed runs
/// reset, with the phases as bands. Nothing is loaded from a network; there are no scripts. With a
/// Web UI address, the builds and batch jobs are links to their pages (followed only when clicked).
enum TimelineHTML {
  static func render(_ timeline: Timeline, links: WebUILinks? = nil) -> String {
    let markdownTitle =
      "Incident \(timeline.incident)" + (timeline.state.details.map { ": \($0.title)" } ?? "")
    var body = "<h1>\(escape(markdownTitle))</h1>\n<p class=\"note\">All times are UTC.</p>\n"
    body += summary(timeline, links: links)
    body += "<h2>Running executions still pinned over time</h2>\n" + TimelineChart.render(timeline)
    body += table(
      "Phases", ["Phase", "Start", "End", "Duration"],
      timeline.phases.map {
        [
          $0.phase, $0.start.description, $0.end?.description ?? "ongoing",
          TimelineMarkdown.duration($0.seconds),
        ]
      })
    body += table(
      "Affected executions", ["Workflow Type", "Status", "Count", "With reported problems"],
      timeline.affected.map {
        [$0.workflowType, $0.status.rawValue, String($0.count), String($0.withReportedProblems)]
      })
    body += table(
      "Decisions", ["Workflow Type", "Strategy", "Target build", "Source", "Rationale"],
      timeline.decisions.map {
        [$0.workflowType, $0.strategy.rawValue, $0.targetBuild, $0.source.rawValue, $0.rationale]
      })
    body += table(
      "Commands", ["Action", "Outcome", "Batch job", "Counts", "Started", "Command"],
      timeline.commands.map {
        [
          $0.action, $0.outcome, $0.batchJob ?? "", $0.batchCounts ?? "", $0.startedAt.description,
          $0.command,
        ]
      }, codeColumn: 5,
      link: { row, column in
        column == 2 ? timeline.commands[row].batchJob.flatMap { job in links?.batch(job) } : nil
      })
    body += table(
      "Events", ["#", "Time", "Actor", "Step", "Event", "Summary"],
      timeline.entries.map {
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
      h3{font-size:1em;margin:1.2em 0 .3em}svg{display:block;width:100%;height:auto}
      svg text{font:12px system-ui,sans-serif;fill:#1d2330}
      .legend{list-style:none;margin:.2em 0 .6em;padding:0 0 0 50px;display:flex;flex-wrap:wrap;gap:.3em 1.4em}
      .legend .key{display:inline-block;width:26px;height:0;margin-right:.45em;vertical-align:middle}
      </style></head><body>
      \(body)</body></html>

      """
  }

  private static func summary(_ timeline: Timeline, links: WebUILinks?) -> String {
    let state = timeline.state
    var rows: [[String]] = []
    var hrefs: [Int: String] = [:]
    if let details = state.details {
      rows.append(["Deployment", "\(details.deployment) (namespace \(details.namespace))"])
      for (name, build) in [("Bad build", details.badBuild), ("Good build", details.goodBuild)] {
        hrefs[rows.count] = links?.version(deployment: details.deployment, build: build)
        rows.append([name, build])
      }
      rows.append(["Opened", "\(details.openedAt) by \(details.openedBy)"])
    }
    rows.append(["Phase", state.phase?.rawValue ?? "not opened"])
    rows.append([
      "Time to recovery (opened to drained)", TimelineMarkdown.duration(timeline.timeToRecovery),
    ])
    rows.append([
      "Time to clean (opened to cleaned)", TimelineMarkdown.duration(timeline.timeToClean),
    ])
    return "<table>"
      + rows.enumerated().map { index, row in
        "<tr><th>\(escape(row[0]))</th><td>\(anchor(escape(row[1]), hrefs[index]))</td></tr>"
      }.joined()
      + "</table>\n"
  }

  /// The cell's HTML, inside a link to `href` when there is one.
  private static func anchor(_ html: String, _ href: String?) -> String {
    href.map { "<a href=\"\(escape($0))\">\(html)</a>" } ?? html
  }

  private static func table(
    _ title: String, _ header: [String], _ rows: [[String]], codeColumn: Int? = nil,
    link: (_ row: Int, _ column: Int) -> String? = { _, _ in nil }
  ) -> String {
    var html = "<h2>\(escape(title))</h2>\n"
    guard !rows.isEmpty else { return html + "<p>None.</p>\n" }
    html += "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>"
    for (number, row) in rows.enumerated() {
      html +=
        "<tr>"
        + row.enumerated().map { index, text in
          let inner = index == codeColumn ? "<code>\(escape(text))</code>" : escape(text)
          return "<td>\(anchor(inner, link(number, index)))</td>"
        }.joined() + "</tr>"
    }
    return html + "</table>\n"
  }

  /// Text as HTML: `&`, `<`, `>` and `"` as entities (every attribute is double-quoted), control
  /// characters but the line feed escaped (``VisibleText``), so no text from the journal becomes
  /// markup or drives a terminal the page is printed to.
  static func escape(_ text: String) -> String {
    VisibleText.escaped(text, keepingLineFeeds: true).replacingOccurrences(of: "&", with: "&amp;")
      .replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
