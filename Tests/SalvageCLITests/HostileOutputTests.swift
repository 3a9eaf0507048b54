import Foundation
import SalvageCore
import Testing

@testable import SalvageCLI

/// Text from the server and from notes cannot attack whoever reads the output: no live escape
/// sequence, no spreadsheet formula, no broken table. Golden files: Golden/hostile.*
/// (rerecord with SALVAGE_RECORD_GOLDENS=1, then read them before committing).
@Suite struct HostileOutputTests {
  static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let incident = IncidentID(rawValue: "inc-hostile")!

  /// An incident whose every free-text field tries something: colours in the title and a
  /// Workflow Type, a note with `\r\n` and `|`, a formula, a leading minus, a bidi override, DEL
  /// and a C1 CSI in a server message.
  static func events() -> [RecordedEvent] {
    let facts: [IncidentEvent] = [
      .opened(
        IncidentOpened(
          deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default",
          title: "Bad \u{1B}[31mrollout\u{1B}[0m", operatorName: "alice")),
      .noteAdded(NoteAdded(text: "line one\r\nline two | pipe")),
      .noteAdded(NoteAdded(text: "=HYPERLINK(\"http://evil.example\",\"click\")")),
      .noteAdded(NoteAdded(text: "-2+3")),
      .strategyDecided(
        StrategyDecided(
          workflowType: "Order\u{1B}[31mWorkflow", restartable: true, corrupted: false,
          strategy: .resetToGoodBuild,
          targetBuild: "v1", source: .operatorDecision, rationale: "trust \u{202E}em")),
      .actionStarted(
        ActionStarted(
          action: "stop-1", step: .stop, safety: .repeatable, command: ["temporal", "x"],
          identity: "salvage/inc/stop-1")),
      .actionFailed(
        ActionFailed(action: "stop-1", message: "server said \u{9B}2J\u{7F} \u{7}done")),
    ]
    return recordedEvents(facts, of: incident)
  }

  static func rendered(_ format: TimelineFormat) throws -> String {
    let timeline = Timeline(incident, events())
    switch format {
    case .markdown: return TimelineMarkdown.render(timeline)
    case .json: return try TimelineTabular.json(timeline)
    case .csv: return TimelineTabular.csv(timeline)
    case .html: return TimelineHTML.render(timeline)
    }
  }

  @Test(arguments: TimelineFormat.allCases)
  func aHostileIncidentRendersExactlyAsItsGoldenFile(format: TimelineFormat) throws {
    // Given the hostile incident, when it is rendered
    let output = try Self.rendered(format)
    let golden = Self.here.appendingPathComponent(
      "Golden/hostile.\(format == .markdown ? "md" : format.rawValue)")
    if ProcessInfo.processInfo.environment["SALVAGE_RECORD_GOLDENS"] == "1" {
      try Data(output.utf8).write(to: golden)
    }
    // Then it is the reviewed golden file, and no hidden character is left raw in it
    #expect(output == (try String(contentsOf: golden, encoding: .utf8)))
    let raw = output.unicodeScalars.filter {
      VisibleText.isHidden($0) && $0 != "\n" && !(format == .csv && $0 == "\r")
    }
    #expect(raw.isEmpty, "raw \(raw.map { String($0.value, radix: 16) }) in \(format)")
  }

  @Test func markdownCellsEscapePipesAndEveryLineBreakAndShowControlsVisibly() throws {
    let markdown = try Self.rendered(.markdown)
    // Then the note stays in one row, its pipe escaped; colours and the override show as text
    #expect(markdown.contains("| alice | note | NoteAdded | line one ⏎ line two \\| pipe |"))
    // A backslash before a pipe cannot take the escape away: a\|b stays one cell
    #expect(TimelineMarkdown.cell("a\\|b") == "a\\\\\\|b")
    #expect(TimelineMarkdown.cell("a\\\\|b") == "a\\\\\\\\\\|b")
    #expect(TimelineMarkdown.cell("C:\\temp") == "C:\\temp")
    #expect(markdown.contains("# Incident inc-hostile: Bad \\u{1b}[31mrollout\\u{1b}[0m"))
    #expect(
      markdown.contains(
        "| Order\\u{1b}[31mWorkflow | reset-first-task-to-good-build | v1 | operator | trust \\u{202e}em |"
      ))
    #expect(markdown.contains("stop-1 failed: server said \\u{9b}2J\\u{7f} \\u{7}done"))
  }

  @Test func csvCellsThatASpreadsheetWouldRunAreQuotedAsText() throws {
    let rows = try Self.rendered(.csv).components(separatedBy: "\r\n")
    // Then a formula and a leading minus are quoted behind a single quote, and each row is one line
    #expect(rows.contains { $0.hasSuffix(#","'=HYPERLINK(""http://evil.example"",""click"")""#) })
    #expect(rows.contains { $0.hasSuffix(#",NoteAdded,"'-2+3""#) })
    #expect(rows.contains { $0.hasSuffix(",NoteAdded,line one ⏎ line two | pipe") })
    #expect(rows.count == Self.events().count + 2)  // the header, one row each, the final empty string
  }

  @Test(arguments: [
    ("=1+1", #""'=1+1""#), ("+1", #""'+1""#), ("-1", #""'-1""#), ("@SUM(A1)", #""'@SUM(A1)""#),
    ("\tx", #""'\u{9}x""#), ("\rx", #""'\u{d}x""#), ("a=1", "a=1"), ("a,b", #""a,b""#),
  ])
  func aCSVFieldIsGuardedByItsFirstCharacter(text: String, expected: String) {
    #expect(CSV.field(text) == expected)
  }

  @Test func jsonKeepsTheValuesButNoRawControlCharacter() throws {
    let json = try Self.rendered(.json)
    // Then the escapes are JSON's own, so a reader gets the original text back
    #expect(json.contains(#"Order\u001b[31mWorkflow"#))
    #expect(json.contains(#"trust \u202eem"#))
    #expect(json.contains(#"server said \u009b2J\u007f \u0007done"#))
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    #expect((object?["title"] as? String) == "Bad \u{1B}[31mrollout\u{1B}[0m")
  }

  @Test func htmlEscapesMarkupAndShowsControlsVisibly() throws {
    let html = try Self.rendered(.html)
    #expect(html.contains("=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)"))
    #expect(html.contains("<td>Order\\u{1b}[31mWorkflow</td>"))
    #expect(!html.contains("\u{1B}"))
  }
}
