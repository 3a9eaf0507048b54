import Foundation
import SalvageCore

#if canImport(Glibc)
  import Glibc
#endif

/// What a runbook run (`run` and the step commands) prints, as text or as JSON Lines.
///
/// Both tell the run's story from the events it records. Text: each event's lines (``RunStory``),
/// the runner's notices and the session's messages, and on a terminal the progress line rewritten
/// in place (``ProgressLine``). JSON Lines are one object a line, each with a `kind`: `event` for
/// every event the run recorded, as it is appended (``EventView``), `report` for a notice no event
/// records (or a message of the session), `progress` during a long wait, and one `outcome` last.
final class RunOutput: @unchecked Sendable {
  private let json: Bool
  private let text: ProgressLine
  private let writeLine: @Sendable (String) -> Void
  private let elapsed: @Sendable () -> Double
  private let lock = NSLock()
  /// The last position printed: an append retried after a lost answer returns events already shown.
  private var lastPosition: Int64 = 0
  /// The text story, from the incident's state when the run began (``follow(_:)``).
  private var story: RunStory?

  /// - Parameters:
  ///   - json: JSON Lines instead of text.
  ///   - text: the text output (and its progress line); unused for JSON.
  ///   - writeLine: where a JSON line goes (a line feed is added).
  ///   - elapsed: seconds since the run began.
  init(
    json: Bool, text: ProgressLine, writeLine: @escaping @Sendable (String) -> Void,
    elapsed: @escaping @Sendable () -> Double
  ) {
    self.json = json
    self.text = text
    self.writeLine = writeLine
    self.elapsed = elapsed
  }

  /// The live output on stdout: JSON Lines, or text with a progress line when stdout is a terminal.
  static func live(json: Bool, environment: [String: String]) -> RunOutput {
    let started = ContinuousClock.now
    let stdout: @Sendable (String) -> Void = { StandardStreams.output($0) }
    return RunOutput(
      json: json,
      text: ProgressLine(
        isTerminal: Terminal.isTerminal(STDOUT_FILENO), noColor: environment["NO_COLOR"],
        width: Terminal.columns(environment), write: stdout),
      writeLine: { stdout($0 + "\n") },
      elapsed: { (ContinuousClock.now - started) / .seconds(1) })
  }

  var isJSON: Bool { json }

  /// Tells the text story of the events recorded from now on, from the incident as it is now.
  func follow(_ state: IncidentState) {
    lock.withLock { story = RunStory(state) }
  }

  /// Events the run recorded, once each: JSON lines, or their lines of the story in text, told
  /// from `state`, the incident after them as the run's owner has it.
  func recorded(_ events: [RecordedEvent], after state: IncidentState) {
    let seconds = elapsed()
    lock.withLock {
      let new = events.filter { $0.position > lastPosition }
      lastPosition = new.last?.position ?? lastPosition
      if json {
        for event in new { emit(EventView(event)) }
        return
      }
      guard let told = story?.tell(new, after: state) else { return }
      for line in told.lines { text.say("  " + VisibleText.flat(line)) }
      if let progress = told.progress { text.update(progress, elapsed: seconds) }
    }
  }

  /// What the runner tells that no event records: a line of the record, a `report` in JSON.
  func notice(_ notice: RunbookRunner.Notice) {
    let line = RunNotice.text(notice)
    if json {
      lock.withLock { emit(Message(kind: "report", message: line)) }
    } else {
      text.say("  " + VisibleText.flat(line))
    }
  }

  /// A message of the session itself (a lease found ended, say): a report line in JSON.
  func say(_ line: String) {
    if json {
      lock.withLock { emit(Message(kind: "report", message: line)) }
    } else {
      text.say(line)
    }
  }

  /// A whole document, a dry run's plan: printed as it is (escaped), in text and JSON alike.
  func document(_ document: String) {
    lock.withLock {
      text.clear()
      writeLine(VisibleText.escaped(document, keepingLineFeeds: true))
    }
  }

  /// A progress line during a long wait: in place on a terminal, a JSON line, or nothing.
  func progress(_ progress: RunbookRunner.Progress) {
    let line = RunNotice.text(progress)
    let seconds = elapsed()
    if json {
      lock.withLock { emit(Progress(message: line, elapsedSeconds: Int(seconds.rounded(.down)))) }
    } else {
      text.update(line, elapsed: seconds)
    }
  }

  /// The run's conclusion: its text lines, or the final JSON line.
  func conclude(_ conclusion: RunConclusion) {
    if json {
      lock.withLock { emit(conclusion.view(elapsedSeconds: Int(elapsed().rounded(.down)))) }
    } else {
      text.clear()
      for line in conclusion.lines { text.say(line) }
    }
  }

  /// The question before a change: on stdout for text, on stderr for JSON (stdout stays JSON Lines).
  func question(_ command: [String]) {
    let prompt = "Run: \(VisibleText.escaped(ShellQuoting.line(command)))\nProceed? [y/N] "
    if json {
      StandardStreams.error(prompt)
    } else {
      text.clear()
      StandardStreams.output(prompt)
    }
  }

  private func emit(_ value: some Encodable) {
    // Our views are plain strings and numbers: failing to encode one is a bug.
    guard let line = try? JSONOutput.render(value, pretty: false) else {
      preconditionFailure("cannot encode a JSON line")
    }
    writeLine(line)
  }

  private struct Message: Encodable {
    let kind: String
    let message: String
  }

  private struct Progress: Encodable {
    let kind = "progress"
    let message: String
    let elapsedSeconds: Int
  }
}
