import Foundation
import SalvageCore

/// Where `salvage watch` draws: on a terminal, the whole frame redrawn in place with the latest
/// events under it; in a pipe or a log, one line per change (each event recorded, then each field
/// whose value changed), never a control sequence.
final class WatchScreen {
  private let isTerminal: Bool
  /// The terminal's width now: read at each redraw, so a resize is followed.
  private let width: () -> Int
  private let write: (String) -> Void
  /// Lines the terminal shows now, to move back over at the next redraw.
  private var drawn = 0
  /// What the terminal shows now: a look that would draw the same draws nothing.
  private var shown: [String] = []
  /// The latest events' lines, for the terminal.
  private var recent: [String] = []
  /// The field values a pipe was last told, by name.
  private var told: [String: String] = [:]
  private var titled = false

  /// Events a terminal keeps under the frame.
  static let recentCount = 8

  init(isTerminal: Bool, width: @escaping () -> Int, write: @escaping (String) -> Void) {
    self.isTerminal = isTerminal
    self.width = width
    self.write = write
  }

  /// Whether it is shown the frame after every event (a pipe tells each change), or only the
  /// frame at each look (a terminal redraws).
  var showsEveryChange: Bool { !isTerminal }

  /// Events recorded before the watch began: the terminal lists the latest; a pipe tells only
  /// what happens from now on.
  func remember(_ events: [RecordedEvent]) {
    recent = Array((recent + events.map(Self.line)).suffix(Self.recentCount))
  }

  /// Shows `frame` after `events`, the ones recorded since the last look.
  func show(_ frame: WatchFrame, after events: [RecordedEvent]) {
    isTerminal ? redraw(frame, after: events) : tell(frame, after: events)
  }

  /// A line at the end (why the watch stopped); on a terminal, under the frame.
  func end(_ line: String) {
    write(VisibleText.escaped(line) + "\n")
    drawn = 0
    shown = []
  }

  private func redraw(_ frame: WatchFrame, after events: [RecordedEvent]) {
    remember(events)
    var lines = [frame.title, "  " + frame.status]
    for field in frame.fields { lines.append(Self.field(field)) }
    if !recent.isEmpty { lines += ["", "  recent events"] + recent.map { "    " + $0 } }
    let columns = max(width(), 20)
    let fitted = lines.map { fit(VisibleText.escaped($0), columns) }
    guard fitted != shown else { return }
    // Back to the frame's first line, erase to the end of the screen, draw it again.
    let back = drawn > 0 ? "\u{1B}[\(drawn)F\u{1B}[J" : ""
    write(back + fitted.joined(separator: "\n") + "\n")
    drawn = fitted.count
    shown = fitted
  }

  private func tell(_ frame: WatchFrame, after events: [RecordedEvent]) {
    var lines: [String] = []
    if !titled {
      lines.append(frame.title)
      titled = true
    }
    lines += events.map(Self.line)
    for field in frame.fields where told[field.name] != field.value {
      lines.append(Self.field(field))
      told[field.name] = field.value
    }
    // A field gone (a batch that finished, a wait that ended) is said once.
    let shown = Set(frame.fields.map(\.name))
    for name in told.keys.sorted() where !shown.contains(name) {
      lines.append("\(name): -")
      told[name] = nil
    }
    guard !lines.isEmpty else { return }
    write(lines.map { VisibleText.escaped($0) + "\n" }.joined())
  }

  /// A line a terminal can hold without wrapping (a wrapped line would break the redraw).
  private func fit(_ line: String, _ width: Int) -> String {
    line.count < width ? line : String(line.prefix(width - 2)) + "…"
  }

  static func field(_ field: WatchFrame.Field) -> String {
    "  " + (field.name + ":").padding(toLength: 13, withPad: " ", startingAt: 0)
      + VisibleText.flat(field.value)
  }

  /// `2026-12-07T10:41:02.120Z alice ActionStarted: recover-OrderWorkflow-1 (repeatable): …`
  static func line(_ recorded: RecordedEvent) -> String {
    "\(recorded.recordedAt) \(VisibleText.flat(recorded.actor)) \(recorded.event.typeName): "
      + VisibleText.flat(recorded.event.summary)
  }
}
