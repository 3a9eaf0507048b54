import Foundation
import SalvageCore
import SalvageFakes
import Testing

@testable import SalvageCLI

/// The HTML timeline's charts: a line and a legend entry per Workflow Type, the closed runs reset
/// below, everything from the journal escaped.
@Suite struct TimelineChartTests {
  static let incident = IncidentID(rawValue: "inc-chart")!

  /// Events one second apart, as recorded.
  static func recorded(_ facts: [IncidentEvent]) -> [RecordedEvent] {
    var factory = EventFactory()
    return facts.enumerated().map { index, event in
      RecordedEvent(
        position: Int64(index + 1), id: factory.pending(event).id, incident: incident,
        version: index + 1,
        recordedAt: UTCTime(millisecondsSinceEpoch: 1_795_000_000_000 + Int64(index) * 1000),
        actor: "alice",
        event: event)
    }
  }

  /// Two types, one with markup in its name, both recovered; then one chunk of closed runs reset.
  static func html() -> String {
    let hostile = "Order<b>\"Workflow\"</b>"
    let facts: [IncidentEvent] = [
      EventFactory.opened,
      .affectedIdentified(
        AffectedExecutionsIdentified(
          groups: [
            AffectedGroup(
              workflowType: hostile, status: .running, count: 4, withReportedProblems: 4),
            AffectedGroup(
              workflowType: "PaymentWorkflow", status: .running, count: 2, withReportedProblems: 2),
          ], unpinnedWithProblems: 0, executionCount: 6, digest: "d")),
      .actionStarted(
        ActionStarted(
          action: "recover-x-1", step: .recover, subject: hostile, safety: .repeatable,
          command: ["temporal"],
          identity: "salvage/inc-chart/recover-x-1")),
      .actionSucceeded(ActionSucceeded(action: "recover-x-1", batchJob: "job-1")),
      .batchProgressed(
        BatchProgressed(
          action: "recover-x-1", batchJob: "job-1", finished: true, total: 4, complete: 4,
          failure: 0)),
      .actionStarted(
        ActionStarted(
          action: "reset-closed-0-1", step: .resetClosed, subject: "0", safety: .runOnce,
          command: ["temporal"],
          identity: "salvage/inc-chart/reset-closed-0-1")),
      .closedRunsReset(
        ClosedRunsReset(
          action: "reset-closed-0-1", chunk: 0,
          outcomes: [
            RunResetOutcome(workflowID: "wf-1", runID: "r-1", result: .reset, newRunID: "r-1b"),
            RunResetOutcome(workflowID: "wf-2", runID: "r-2", result: .reset, newRunID: "r-2b"),
            RunResetOutcome(
              workflowID: "wf-3", runID: "r-3", result: .alreadyReset, newRunID: "r-3b"),
          ])),
      .actionSucceeded(ActionSucceeded(action: "reset-closed-0-1")),
    ]
    return TimelineHTML.render(Timeline(incident, recorded(facts)))
  }

  /// The `<polyline …>` element whose title is `title`, or nil.
  static func polyline(titled title: String, in html: String) -> String? {
    html.components(separatedBy: "<polyline").dropFirst().first {
      $0.contains("<title>\(title)</title>")
    }
  }

  @Test func eachWorkflowTypeHasItsOwnColouredLineAndAnEscapedLegendEntry() throws {
    // Given two recovered types, one named with markup; when the page is rendered
    let html = Self.html()

    // Then each type has a polyline titled with its escaped name, in distinct colours, and a legend
    // entry in the same colour; the markup never reaches the page raw
    let escaped = "Order&lt;b&gt;&quot;Workflow&quot;&lt;/b&gt;"
    let order = try #require(Self.polyline(titled: escaped, in: html))
    let payment = try #require(Self.polyline(titled: "PaymentWorkflow", in: html))
    #expect(order.hasPrefix(" fill=\"none\" stroke=\"#0072B2\""))
    #expect(payment.hasPrefix(" fill=\"none\" stroke=\"#D55E00\""))
    #expect(
      html.contains(
        "<li><span class=\"key\" style=\"border-top:3px solid #0072B2\"></span>\(escaped)</li>"))
    #expect(
      html.contains(
        "<li><span class=\"key\" style=\"border-top:3px solid #D55E00\"></span>PaymentWorkflow</li>"
      ))
    #expect(!html.contains("<b>"))
    // Its line starts at identification (second of eight events: x 184.3) at 4 on an axis up to
    // 6 (y 110, nudged 1.5 down from PaymentWorkflow's) and ends at 0, held to the right edge
    #expect(order.contains("points=\"184.3,111.5 "))
    #expect(order.contains(" 990.0,251.5\">"))
  }

  @Test func theClosedRunsResetHaveTheirOwnChartWithAlreadyResetApart() throws {
    // Given a chunk with two runs reset and one found already reset; when the page is rendered
    let html = Self.html()

    // Then a labelled second chart has the reset line climbing from 0 to 2 (its top gridline at y 12)
    // and a dashed line for the one already reset, each named in its legend
    #expect(html.contains("<h3>Closed runs reset (cumulative)</h3>"))
    let reset = try #require(Self.polyline(titled: "Reset by salvage", in: html))
    #expect(reset.contains("points=\"50.0,112.0 "))
    #expect(reset.contains(" 990.0,12.0\">"))
    let already = try #require(Self.polyline(titled: "Found already reset", in: html))
    #expect(already.contains("stroke-dasharray=\"6 4\""))
    #expect(html.contains("></span>Reset by salvage</li>"))
    #expect(html.contains("></span>Found already reset when checked (not counted as reset)</li>"))
    #expect(html.components(separatedBy: "<polyline").count - 1 == 5)  // total, two types, reset, already
  }

  @Test func anIncidentWithNoClosedRunsResetSaysSoInsteadOfAnEmptyChart() {
    // Given only an opening; when the page is rendered
    let html = TimelineHTML.render(Timeline(Self.incident, Self.recorded([EventFactory.opened])))

    // Then the reset chart is replaced by a sentence
    #expect(html.contains("<h3>Closed runs reset (cumulative)</h3>\n<p>No closed runs reset.</p>"))
  }

  @Test(arguments: [(0, 1, 1), (3, 3, 1), (6, 6, 2), (7, 8, 2), (23, 25, 5), (120, 150, 50)])
  func theCountAxisEndsOnAWholeNumberOfRoundSteps(highest: Int, top: Int, step: Int) {
    #expect(TimelineChart.scale(highest) == (top: top, step: step))
  }

  @Test(arguments: [(0.0, "+0 s"), (45, "+45 s"), (150, "+2:30"), (3900, "+1:05:00")])
  func timeTicksSayHowLongSinceTheFirstEvent(seconds: Double, label: String) {
    #expect(TimelineChart.elapsedLabel(seconds) == label)
  }
}
