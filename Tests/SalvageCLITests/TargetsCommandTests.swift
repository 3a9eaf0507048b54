import Foundation
import SalvageCore
@testable import SalvageCLI
import SalvageTestSupport
import Testing

/// `salvage targets`: the compensation list, on the incident recorded on a real dev server and on
/// hostile names.
@Suite struct TargetsCommandTests {
  static let demo = TimelineGoldenTests.fixture

  func demoJournal() throws -> CLIFixture {
    let fixture = try CLIFixture()
    let imported = try fixture.salvage("import", Self.demo)
    #expect(imported.status == 0, "\(imported.stderr)")
    return fixture
  }

  @Test(.tags(.integration)) func theDemoIncidentListsItsElevenExecutionsWithTheirBatchJobs() throws {
    // Given the demo incident: 3 OrderWorkflow reset with a move, 3 PaymentWorkflow overridden,
    // 5 closed runs reset by a batch (recorded before closed runs were reset one by one)
    let fixture = try demoJournal()
    // When its compensation list is asked for as CSV
    let result = try fixture.salvage("targets", "--format", "csv")
    // Then there is a header and one row per execution, each naming its batch job, new runs empty
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    #expect(rows.first == "workflow_id,workflow_type,status_before,done,old_run_id,new_run_id,batch_job,action,time_utc,note")
    #expect(rows.count == 12)
    #expect(rows.contains(
      "stuck-orderworkflow-0,OrderWorkflow,Running,reset-with-move,01a21311-3b4e-7117-b209-0cfa5b5f2dc0,,"
        + "7b657ddc-c4e5-4c53-a17d-6647430eae8b,recover-OrderWorkflow-1,2026-11-25T14:17:11.572Z,"))
    #expect(rows.contains(
      "failed-0,FailWorkflow,Failed,reset,01a21311-3b90-76ba-852f-8ebb386276e2,,"
        + "c8d99207-82a3-4e3f-ae5d-7bcce73e41c0,reset-closed-0-1,2026-11-25T14:17:15.603Z,"))
    let done = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] }
    #expect(done.filter { $0 == "reset-with-move" }.count == 3)
    #expect(done.filter { $0 == "override" }.count == 3)
    #expect(done.filter { $0 == "reset" }.count == 5)
  }

  @Test(.tags(.integration)) func theDefaultIsATableForPeopleAndJSONIsTheSameRows() throws {
    // Given the demo incident
    let fixture = try demoJournal()
    // When the list is asked for as a table and as JSON
    let table = try fixture.salvage("targets").stdout
    let json = try fixture.salvage("targets", "--format", "json").stdout
    // Then the table has a header, 11 rows and a count; the JSON holds the same 11
    let lines = table.split(separator: "\n")
    #expect(lines.first?.hasPrefix("WORKFLOW ID") == true)
    #expect(lines.last == "11 executions acted on (new run empty: not known from a batch)")
    #expect(json.contains(#""newRunID" : null"#))
    let decoded = try JSONDecoder().decode([CompensationRow].self, from: Data(json.utf8))
    #expect(decoded.count == 11)
    #expect(decoded.filter { $0.done == .override }.map(\.workflowType) == ["PaymentWorkflow", "PaymentWorkflow", "PaymentWorkflow"])
  }

  @Test func aWorkflowIDThatLooksLikeAFormulaStaysText() {
    // Given a row whose workflow id a spreadsheet would run as a formula
    let row = CompensationRow(
      workflowID: "=HYPERLINK(\"http://evil.example\",\"click\")", workflowType: "T", statusBefore: .failed,
      done: .reset, oldRunID: "r-1", newRunID: "r-2", batchJob: nil, action: "reset-closed-0-1",
      at: UTCTime(millisecondsSinceEpoch: 0))
    // When it is written as CSV, then the cell is quoted with a ' in front, and the rest is plain
    let csv = TargetsView.csv([row])
    #expect(csv.components(separatedBy: "\r\n")[1]
      == #""'=HYPERLINK(""http://evil.example"",""click"")",T,Failed,reset,r-1,r-2,,reset-closed-0-1,1970-01-01T00:00:00.000Z,"#)
  }
}
