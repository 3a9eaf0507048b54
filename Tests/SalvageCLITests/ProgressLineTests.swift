import Foundation
import SalvageCore
import Testing

@testable import SalvageCLI

/// Collects what a renderer writes, in order.
final class Written: @unchecked Sendable {
  private let lock = NSLock()
  private var parts: [String] = []
  var text: String { lock.withLock { parts.joined() } }
  var lines: [String] { text.split(separator: "\n").map(String.init) }
  func write(_ part: String) { lock.withLock { parts.append(part) } }
}

@Suite struct ProgressLineTests {
  @Test func onATerminalProgressIsOneDimLineRewrittenInPlaceAndErasedBeforeTheNextLine() {
    // Given a terminal with colour allowed
    let written = Written()
    let line = ProgressLine(isTerminal: true, noColor: nil, write: written.write)
    // When two progress updates come, then a report line, then the run ends
    line.update("batch b1: 3/10 done, waiting (4 s)", elapsed: 4)
    line.update("batch b1: 7/10 done, waiting (12 s)", elapsed: 65)
    line.say("  batch b1: 10/10 done")
    line.clear()
    // Then each update erases the line before, the report erases the last one, and nothing is left
    #expect(
      written.text
        == "\r\u{1B}[2K\u{1B}[2m  … batch b1: 3/10 done, waiting (4 s) · 4 s\u{1B}[0m"
        + "\r\u{1B}[2K\u{1B}[2m  … batch b1: 7/10 done, waiting (12 s) · 1 min 05 s\u{1B}[0m"
        + "\r\u{1B}[2K  batch b1: 10/10 done\n")
  }

  @Test(arguments: ["1", "true"]) func noColorTurnsTheDimOffButKeepsTheInPlaceLine(_ value: String)
  {
    // Given a terminal and NO_COLOR set to a non-empty value
    let written = Written()
    let line = ProgressLine(isTerminal: true, noColor: value, write: written.write)
    // When progress comes and the run ends
    line.update("drainage draining, 2 Running still pinned to orders:bad", elapsed: 3_725)
    line.clear()
    // Then the line has no colour, only the erase that rewrites it
    #expect(
      written.text
        == "\r\u{1B}[2K  … drainage draining, 2 Running still pinned to orders:bad · 1 h 02 min"
        + "\r\u{1B}[2K")
  }

  @Test func anEmptyNoColorLeavesColourOn() {
    let written = Written()
    ProgressLine(isTerminal: true, noColor: "", write: written.write).update("waiting", elapsed: 0)
    #expect(written.text == "\r\u{1B}[2K\u{1B}[2m  … waiting · 0 s\u{1B}[0m")
  }

  @Test func inAPipeAWaitPrintsAPlainLineAfter30QuietSecondsAndEvery30SecondsAfter() {
    // Given output that is not a terminal (a pipe, tee, CI), and a run that printed a line
    let written = Written()
    let line = ProgressLine(isTerminal: false, noColor: nil, write: written.write)
    line.say("  drained: orders:bad reports drained")
    // When a wait reports its progress every few seconds for a minute and a half, then a line comes
    for second in stride(from: 2.0, through: 92, by: 5) {
      line.update(
        "pollers: acc-bad@32260 still listed, waiting (\(Int(second)) s)", elapsed: second)
    }
    line.say("  clean-up-1: done")
    // Then the wait shows as one plain line 30 s into its silence and one every 30 s after, with
    // no carriage return or escape, and the next line follows as it is
    #expect(
      written.lines == [
        "  drained: orders:bad reports drained",
        "  … pollers: acc-bad@32260 still listed, waiting (32 s) · 32 s",
        "  … pollers: acc-bad@32260 still listed, waiting (62 s) · 1 min 02 s",
        "  … pollers: acc-bad@32260 still listed, waiting (92 s) · 1 min 32 s",
        "  clean-up-1: done",
      ])
    #expect(!written.text.contains("\r") && !written.text.contains("\u{1B}"))
  }

  @Test func inAPipeProgressWritesNothingAndLinesCarryNoEscape() {
    // Given output that is not a terminal
    let written = Written()
    let line = ProgressLine(isTerminal: false, noColor: nil, write: written.write)
    // When progress and a line come
    line.update("batch b1: 3/10 done, waiting (4 s)", elapsed: 4)
    line.say("  batch b1: 10/10 done")
    line.clear()
    // Then only the line is written, as it is
    #expect(written.text == "  batch b1: 10/10 done\n")
  }

  @Test func progressFromTheServerIsEscapedFlattenedAndCutToTheTerminalWidth() {
    // Given a 40-column terminal, NO_COLOR, and a message holding an escape sequence and a line break
    let written = Written()
    let line = ProgressLine(isTerminal: true, noColor: "1", width: 40, write: written.write)
    // When it is shown
    line.update("\u{1B}[31mred\nbatch x: 1/2 done, waiting for a long time", elapsed: 1)
    // Then the escape shows as text, the break as ⏎, and the line fits in 39 columns
    let shown = written.text.dropFirst(ProgressLine.erase.count)
    #expect(shown == "  … \\u{1b}[31mred ⏎ batch x: 1/2 done,…")
    #expect(shown.count == 39)
  }

  @Test func runJSONLinesCarryEventsNoticesProgressAndTheOutcomeAndNoEscape() throws {
    // Given a run's JSON output on a terminal
    let written = Written()
    let output = RunOutput(
      json: true, text: ProgressLine(isTerminal: true, noColor: nil, write: written.write),
      writeLine: { written.write($0 + "\n") }, elapsed: { 12.7 })
    // When the run records an event, tells a notice, waits and ends needing a decision
    let observed = RunStoryTests.recorded([
      .rolloutObserved(RolloutObserved(currentBuild: "bad", rampingBuild: nil, rampPercentage: 0))
    ])
    output.recorded(observed, after: RunStoryTests.story().folding(observed))
    output.notice(.drainageStalled(seconds: 30))
    output.progress(.batch(job: "b1", complete: 3, total: 10, waited: 4))
    output.conclude(
      RunConclusion(
        .needsDecision(["OrderWorkflow"]), incident: try #require(IncidentID(rawValue: "inc-1"))))
    // Then there are four JSON lines, kind first to read, and no in-place escape at all
    let objects = try written.lines.map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    #expect(objects.map { $0["kind"] as? String } == ["event", "report", "progress", "outcome"])
    #expect(objects[0]["type"] as? String == "RolloutObserved")
    #expect(
      objects[1]["message"] as? String == "drainage stalled for 30 s: recovering the rest again")
    #expect(objects[2]["message"] as? String == "batch b1: 3/10 done, waiting (4 s)")
    #expect(objects[2]["elapsedSeconds"] as? Int == 12)
    #expect(objects[3]["outcome"] as? String == "needsDecision")
    #expect(objects[3]["exit"] as? Int == 10)
    #expect(objects[3]["workflowTypes"] as? [String] == ["OrderWorkflow"])
    #expect(
      (objects[3]["error"] as? String)?.contains("salvage decide --type OrderWorkflow") == true)
    #expect(!written.text.contains("\r") && !written.text.contains("\u{1B}"))
  }
}
