import Foundation
import SalvageFakes
import Testing

/// Golden files for every timeline format, from an incident recorded on a real dev server by
/// `DEMO_EXPORT=… tools/demo` (Fixtures/incident-demo.jsonl). Rerecord with SALVAGE_RECORD_GOLDENS=1.
@Suite(.tags(.integration)) struct TimelineGoldenTests {
  static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let fixture = here.appendingPathComponent("Fixtures/incident-demo.jsonl").path

  /// A journal holding the recorded incident, imported (and so verified) from the fixture.
  func journal() async throws -> CLIFixture {
    let fixture = try CLIFixture()
    let imported = try await fixture.salvage("import", Self.fixture)
    #expect(imported.status == 0, "\(imported.stderr)")
    return fixture
  }

  @Test(arguments: ["markdown", "json", "csv", "html"])
  func theTimelineMatchesItsGoldenFile(format: String) async throws {
    let fixture = try await journal()
    let result = try await fixture.salvage("timeline", "--format", format)
    #expect(result.status == 0, "\(result.stderr)")
    let golden = Self.here.appendingPathComponent(
      "Golden/timeline.\(format == "markdown" ? "md" : format)")
    if ProcessInfo.processInfo.environment["SALVAGE_RECORD_GOLDENS"] == "1" {
      try Data(result.stdout.utf8).write(to: golden)
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    #expect(
      result.stdout == expected,
      "timeline.\(format) differs from its golden file; rerecord if intended")
  }

  @Test func theMarkdownCarriesTheRecordAPostmortemNeeds() async throws {
    let markdown = try await journal().salvage("timeline").stdout
    #expect(markdown.contains("All times are UTC."))
    #expect(markdown.contains("| Time to recovery (opened to drained) |"))
    #expect(markdown.contains("| OrderWorkflow | Running | 3 | 3 |"))
    #expect(
      markdown.contains("| PaymentWorkflow | override-to-replay-safe-build | fixed | policy-file |")
    )
    #expect(
      markdown.contains(
        "`temporal workflow reset with-workflow-update-options --workflow-id failed-0 --run-id "))
    #expect(markdown.contains("| reset-closed-0-1 | reset-closed | succeeded |"))
    #expect(markdown.contains("chunk 0: 5 reset, 0 already reset, 0 left alone, 0 failed"))
    #expect(
      markdown.contains(
        "ReportWorkflow: 3 terminated and restarted, 0 already restarted, 0 left alone, 0 failed"))
    #expect(markdown.contains("| drained |"))
  }

  @Test func theHTMLIsOneSelfContainedPageWithAChartAndPhaseBands() async throws {
    let html = try await journal().salvage("timeline", "--format", "html").stdout
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.components(separatedBy: "<svg").count - 1 == 2)  // pinned per type, closed runs reset
    #expect(html.components(separatedBy: "<rect").count - 1 == 12)  // one band per phase reached, in each
    // One line per Workflow Type the incident recovered, named in the legend, and the closed reset
    for type in ["OrderWorkflow", "PaymentWorkflow", "ReportWorkflow"] {
      #expect(html.contains("<title>\(type)</title></polyline>"))
      #expect(html.contains("></span>\(type)</li>"))
    }
    #expect(html.contains("<title>Reset by salvage</title></polyline>"))
    for external in ["<script", "<link", "src=", "url(", "https://", "@import"] {
      #expect(!html.contains(external), "the page loads something from outside: \(external)")
    }
  }

  @Test func theCSVHasOneRowPerEventAndQuotesWhatNeedsIt() async throws {
    let csv = try await journal().salvage("timeline", "--format", "csv").stdout
    let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    #expect(rows.first == "version,time_utc,actor,step,event,summary")
    let events = try String(contentsOfFile: Self.fixture, encoding: .utf8)
      .components(separatedBy: "\n").filter { $0.contains(#""kind":"event""#) }.count
    #expect(events > 20)
    #expect(rows.count == events + 1)  // the header, then one row per event
  }
}
