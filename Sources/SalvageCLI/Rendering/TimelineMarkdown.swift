import Foundation
import SalvageCore

/// The timeline as Markdown that pastes cleanly into a postmortem document. With a Web UI
/// address, the builds link to their version's page and each batch job to its batch's page.
enum TimelineMarkdown {
  static func render(_ timeline: Timeline, links: WebUILinks? = nil) -> String {
    let state = timeline.state
    var out: [String] = []
    out.append(
      "# Incident \(timeline.incident)" + (state.details.map { ": \(cell($0.title))" } ?? ""))
    out.append("")
    out.append("All times are UTC.")
    out.append("")
    out.append("| | |")
    out.append("|---|---|")
    if let details = state.details {
      out.append(
        "| Deployment | \(cell(details.deployment)) (namespace \(cell(details.namespace))) |")
      for (name, build) in [("Bad build", details.badBuild), ("Good build", details.goodBuild)] {
        let page = links.map {
          " ([in the UI](\($0.version(deployment: details.deployment, build: build))))"
        }
        out.append("| \(name) | \(cell(build))\(page ?? "") |")
      }
      out.append("| Opened | \(details.openedAt) by \(cell(details.openedBy)) |")
    }
    out.append("| Phase | \(state.phase?.rawValue ?? "not opened") |")
    out.append("| Time to recovery (opened to drained) | \(duration(timeline.timeToRecovery)) |")
    out.append("| Time to clean (opened to cleaned) | \(duration(timeline.timeToClean)) |")
    out.append("| Held by | \(cell(state.holder ?? state.details?.openedBy ?? "-")) |")
    section(
      &out, "Phases", ["Phase", "Start", "End", "Duration"],
      timeline.phases.map {
        [$0.phase, $0.start.description, $0.end?.description ?? "ongoing", duration($0.seconds)]
      })
    section(
      &out, "Affected executions", ["Workflow Type", "Status", "Count", "With reported problems"],
      timeline.affected.map {
        [$0.workflowType, $0.status.rawValue, String($0.count), String($0.withReportedProblems)]
      })
    if let unpinned = state.progress.identification?.unpinnedWithProblems, unpinned > 0 {
      out.append("")
      out.append(
        "Warning: \(unpinned) Running executions with reported problems were not pinned to the bad build."
      )
    }
    section(
      &out, "Decisions", ["Workflow Type", "Strategy", "Target build", "Source", "Rationale"],
      timeline.decisions.map {
        [$0.workflowType, $0.strategy.rawValue, $0.targetBuild, $0.source.rawValue, $0.rationale]
      })
    section(
      &out, "Commands", ["Action", "Step", "Outcome", "Batch job", "Counts", "Started", "Command"],
      timeline.commands.map { command in
        let job = command.batchJob.map { job in
          links.map { "[\(cell(linkText(job)))](\($0.batch(job)))" } ?? cell(job)
        }
        return [
          cell(command.action), cell(command.step), cell(command.outcome), job ?? "",
          cell(command.batchCounts ?? ""), command.startedAt.description,
          cell("`\(command.command.replacingOccurrences(of: "`", with: "'"))`"),
        ]
      }, escaped: true)
    section(
      &out, "Drainage", ["Time", "Drainage", "Running still pinned"],
      timeline.drainage.map {
        [$0.at.description, $0.drainage.name, String($0.runningPinned)]
      })
    section(
      &out, "Events", ["#", "Time", "Actor", "Step", "Event", "Summary"],
      timeline.entries.map {
        [String($0.version), $0.at.description, $0.actor, $0.step, $0.type, $0.summary]
      })
    return VisibleText.escaped(out.joined(separator: "\n"), keepingLineFeeds: true) + "\n"
  }

  /// A table; its cells go through ``cell(_:)`` unless the caller `escaped` them already.
  private static func section(
    _ out: inout [String], _ title: String, _ header: [String], _ rows: [[String]],
    escaped: Bool = false
  ) {
    out.append("")
    out.append("## \(title)")
    out.append("")
    guard !rows.isEmpty else {
      out.append("None.")
      return
    }
    out.append("| " + header.joined(separator: " | ") + " |")
    out.append("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
    for row in rows {
      out.append("| " + (escaped ? row : row.map(cell)).joined(separator: " | ") + " |")
    }
  }

  /// A table cell, whole: pipes escaped, every line break (`\r\n`, `\r`, `\n`, U+2028…) shown as
  /// ⏎ (never cut: commands stay exact), control characters escaped (``VisibleText``).
  ///
  /// A table row is split at each `|` not taken by a backslash, and a backslash takes the
  /// character after it, so `a\|b` written as `a\\|b` would split. Backslashes right before a
  /// pipe are doubled, then the pipe escaped: `a\\\|b`, read back as `a\|b`.
  static func cell(_ text: String) -> String {
    var out = ""
    var backslashes = 0
    for character in VisibleText.escaped(VisibleText.flat(text)) {
      if character == "\\" {
        backslashes += 1
        continue
      }
      let run = String(repeating: "\\", count: character == "|" ? backslashes * 2 : backslashes)
      out += run + (character == "|" ? "\\|" : String(character))
      backslashes = 0
    }
    return out + String(repeating: "\\", count: backslashes)
  }

  /// Text inside a link's brackets: a backslash and both brackets escaped, so journal text cannot
  /// close the link early and open one of its own (`x](https://evil.example/) [y`).
  static func linkText(_ text: String) -> String {
    var out = ""
    for character in text {
      if character == "\\" || character == "[" || character == "]" { out.append("\\") }
      out.append(character)
    }
    return out
  }

  static func duration(_ seconds: Double?) -> String {
    guard let seconds else { return "-" }
    if seconds < 120 { return String(format: "%.1f s", seconds) }
    let minutes = Int(seconds) / 60
    return minutes < 120
      ? "\(minutes) min \(Int(seconds) % 60) s" : "\(minutes / 60) h \(minutes % 60) min"
  }
}
