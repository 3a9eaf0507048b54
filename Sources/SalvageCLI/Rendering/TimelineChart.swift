import Foundation
import SalvageCore

/// The timeline's two inline SVG charts, on one time axis with the phases as bands: Running
/// executions still pinned (one line per Workflow Type, and the all-types count as a dashed
/// line), then the closed runs reset so far. Every text from the journal is escaped.
enum TimelineChart {
  /// Line colours for Workflow Types, in type-name order (Okabe–Ito, legible on the pale bands);
  /// past the eighth type they repeat, dashed.
  static let typeColors = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F3C8D", "#000000",
  ]
  static let totalColor = "#5a6274"
  static let resetColor = "#1b7837"
  static let alreadyResetColor = "#8c510a"

  private static let bandColors = [
    "opened": "#fde2e1", "stopped": "#fdebd3", "identified": "#fdf5c9", "recovering": "#e3f1d4",
    "drained": "#d6ecf5", "cleaned": "#e4e0f5", "closed": "#e8e8e8",
  ]

  /// Where things go in a chart of `height` points: the plot's box and the time mapping.
  struct Frame {
    let first: Int64, last: Int64
    let width = 1000.0, left = 50.0, right = 990.0
    let top: Double, bottom: Double

    func x(_ time: UTCTime) -> Double {
      left + (right - left) * Double(time.millisecondsSinceEpoch - first)
        / Double(max(last - first, 1))
    }
  }

  /// Both charts with their legends, or a line saying there is nothing to chart.
  static func render(_ timeline: Timeline) -> String {
    guard let first = timeline.entries.first?.at.millisecondsSinceEpoch,
      let last = timeline.entries.last?.at.millisecondsSinceEpoch
    else { return "<p>No events.</p>\n" }
    var html =
      "<p class=\"note\">Time runs from the first event, \(escape(UTCTime(millisecondsSinceEpoch: first).description)), "
      + "to the last, \(escape(UTCTime(millisecondsSinceEpoch: last).description)). "
      + "Lines step at the events that counted; between them the count is the last one known.</p>\n"
    html += pinned(timeline, Frame(first: first, last: last, top: 40, bottom: 250))
    html += "<h3>Closed runs reset (cumulative)</h3>\n"
    guard !timeline.closedRunsReset.isEmpty else { return html + "<p>No closed runs reset.</p>\n" }
    return html + resets(timeline, Frame(first: first, last: last, top: 12, bottom: 112))
  }

  /// Running executions still pinned: a line per Workflow Type over the all-types count.
  static func pinned(_ timeline: Timeline, _ frame: Frame) -> String {
    let values =
      timeline.series.map(\.running) + timeline.pinnedByType.flatMap { $0.points.map(\.running) }
    let (peak, step) = scale(values.max() ?? 0)
    var svg = open(
      frame, label: "Running executions still pinned to the bad build, per Workflow Type, over time"
    )
    svg += bands(timeline, frame, labelled: true) + grid(frame, peak: peak, step: step)
    let total = timeline.series.map { ($0.at, $0.running) }
    svg += line(
      total, from: 0, frame, peak: peak, color: totalColor, dashed: true, title: "All types")
    let count = timeline.pinnedByType.count
    // Equal counts would hide one line under another: each is nudged a few points apart.
    let nudge = count > 1 ? min(3, 12 / Double(count - 1)) : 0
    for (index, series) in timeline.pinnedByType.enumerated() {
      svg += line(
        series.points.map { ($0.at, $0.running) }, from: nil, frame, peak: peak,
        color: typeColors[index % typeColors.count], dashed: index >= typeColors.count,
        title: series.workflowType, offset: (Double(index) - Double(count - 1) / 2) * nudge)
    }
    svg += axes(frame) + "</svg>\n"
    var keys = timeline.pinnedByType.enumerated().map { index, series in
      key(
        series.workflowType, color: typeColors[index % typeColors.count],
        dashed: index >= typeColors.count)
    }
    keys.append(
      key("All types (identification, then each drainage check)", color: totalColor, dashed: true))
    return svg + legend(keys, label: "Workflow Types")
  }

  /// The closed runs reset so far, and apart those found already reset.
  static func resets(_ timeline: Timeline, _ frame: Frame) -> String {
    let points = timeline.closedRunsReset
    let (peak, step) = scale(points.map { max($0.reset, $0.alreadyReset) }.max() ?? 0)
    var svg = open(frame, label: "Closed runs reset so far, over time")
    svg += bands(timeline, frame, labelled: false) + grid(frame, peak: peak, step: step)
    var keys = [key("Reset by salvage", color: resetColor, dashed: false)]
    if points.contains(where: { $0.alreadyReset > 0 }) {
      svg += line(
        points.map { ($0.at, $0.alreadyReset) }, from: 0, frame, peak: peak,
        color: alreadyResetColor,
        dashed: true, title: "Found already reset")
      keys.append(
        key(
          "Found already reset when checked (not counted as reset)", color: alreadyResetColor,
          dashed: true))
    }
    svg += line(
      points.map { ($0.at, $0.reset) }, from: 0, frame, peak: peak, color: resetColor,
      dashed: false,
      title: "Reset by salvage")
    return svg + axes(frame) + "</svg>\n" + legend(keys, label: "Closed runs")
  }

  private static func open(_ frame: Frame, label: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(frame.width)) \(Int(frame.bottom + 30))\" "
      + "role=\"img\" aria-label=\"\(escape(label)), with the phases as bands\">"
  }

  /// The phases as background bands, labelled in two rows so short phases side by side stay legible.
  private static func bands(_ timeline: Timeline, _ frame: Frame, labelled: Bool) -> String {
    var svg = ""
    for (index, phase) in timeline.phases.enumerated() {
      let start = frame.x(phase.start)
      let end = frame.x(phase.end ?? UTCTime(millisecondsSinceEpoch: frame.last))
      svg +=
        "<rect x=\"\(fmt(start))\" y=\"\(fmt(frame.top))\" width=\"\(fmt(max(end - start, 1)))\" "
        + "height=\"\(fmt(frame.bottom - frame.top))\" fill=\"\(bandColors[phase.phase] ?? "#eee")\"/>"
      guard labelled else { continue }
      let row = frame.top - 6 - Double(index % 2) * 14
      let nearEnd = start > frame.right - 80
      svg +=
        "<text x=\"\(fmt(nearEnd ? frame.right : start + 3))\" y=\"\(fmt(row))\""
        + (nearEnd ? " text-anchor=\"end\"" : "") + ">\(escape(phase.phase))</text>"
    }
    return svg
  }

  private static func y(_ value: Int, _ frame: Frame, peak: Int) -> Double {
    frame.bottom - (frame.bottom - frame.top) * Double(value) / Double(peak)
  }

  /// The count axis for counts up to `highest`: a round step giving at most five gridlines above
  /// 0, and a top that is a whole number of steps, so the top gridline is labelled too.
  static func scale(_ highest: Int) -> (top: Int, step: Int) {
    let highest = max(highest, 1)
    var magnitude = 1
    while true {
      for step in [magnitude, 2 * magnitude, 5 * magnitude] {
        let steps = (highest + step - 1) / step
        if steps <= 5 { return (steps * step, step) }
      }
      magnitude *= 10
    }
  }

  /// Count gridlines with their labels, and time ticks in seconds from the start.
  private static func grid(_ frame: Frame, peak: Int, step: Int) -> String {
    var svg = ""
    for value in stride(from: 0, through: peak, by: step) {
      let at = y(value, frame, peak: peak)
      svg +=
        segment(frame.left, at, frame.right, at, stroke: "#c9ced8", width: 0.5)
        + "<text x=\"\(fmt(frame.left - 6))\" y=\"\(fmt(at + 4))\" text-anchor=\"end\">\(value)</text>"
    }
    let seconds = Double(frame.last - frame.first) / 1000
    let tick =
      [1.0, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]
      .first { seconds / $0 <= 10 } ?? 86400
    for elapsed in stride(from: 0, through: seconds, by: tick) {
      let at = frame.x(UTCTime(millisecondsSinceEpoch: frame.first + Int64(elapsed * 1000)))
      svg +=
        segment(at, frame.bottom, at, frame.bottom + 5)
        + "<text x=\"\(fmt(at))\" y=\"\(fmt(frame.bottom + 18))\" text-anchor=\"middle\">\(elapsedLabel(elapsed))</text>"
    }
    return svg
  }

  /// `+5 s`, `+2:30`, `+1:05:00`: time since the first event.
  static func elapsedLabel(_ seconds: Double) -> String {
    let total = Int(seconds)
    if total < 60 { return "+\(total) s" }
    let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
    let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0 ? "+\(hours):\(two(minutes)):\(two(rest))" : "+\(minutes):\(two(rest))"
  }

  private static func axes(_ frame: Frame) -> String {
    segment(frame.left, frame.bottom, frame.right, frame.bottom)
      + segment(frame.left, frame.top, frame.left, frame.bottom)
  }

  private static func segment(
    _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#1d2330",
    width: Double? = nil
  ) -> String {
    "<line x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\" stroke=\"\(stroke)\""
      + (width.map { " stroke-width=\"\(fmt($0))\"" } ?? "") + "/>"
  }

  /// A step line through `points`, held to the chart's end; from `start` at the chart's start when
  /// given, else from the first point. `offset` moves it up or down by so many points. A dot marks
  /// each event that gave a count, so what was observed stands apart from what is only held.
  private static func line(
    _ points: [(UTCTime, Int)], from start: Int?, _ frame: Frame, peak: Int, color: String,
    dashed: Bool,
    title: String, offset: Double = 0
  ) -> String {
    func at(_ x: Double, _ value: Int) -> String {
      "\(fmt(x)),\(fmt(y(value, frame, peak: peak) - offset))"
    }
    var coordinates: [String] = []
    var dots = ""
    var current = start
    if let start { coordinates.append(at(frame.left, start)) }
    for (time, value) in points {
      if let current { coordinates.append(at(frame.x(time), current)) }
      coordinates.append(at(frame.x(time), value))
      dots +=
        "<circle cx=\"\(fmt(frame.x(time)))\" cy=\"\(fmt(y(value, frame, peak: peak) - offset))\" r=\"3\"/>"
      current = value
    }
    guard let current else { return "" }
    coordinates.append(at(frame.right, current))
    return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.5\""
      + (dashed ? " stroke-dasharray=\"6 4\"" : "")
      + " points=\"\(coordinates.joined(separator: " "))\"><title>\(escape(title))</title></polyline>"
      + "<g fill=\"\(color)\">\(dots)</g>"
  }

  private static func key(_ name: String, color: String, dashed: Bool) -> String {
    "<li><span class=\"key\" style=\"border-top:3px \(dashed ? "dashed" : "solid") \(color)\"></span>\(escape(name))</li>"
  }

  private static func legend(_ keys: [String], label: String) -> String {
    "<ul class=\"legend\" aria-label=\"\(escape(label))\">" + keys.joined() + "</ul>\n"
  }

  private static func escape(_ text: String) -> String { TimelineHTML.escape(text) }
  private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
