import Foundation
import SalvageCore
import SalvageFakes
import Testing

@testable import SalvageCLI

/// `salvage targets`: the compensation list, on the incident recorded on a real dev server and on
/// hostile names.
@Suite struct TargetsCommandTests {
  static let demo = TimelineGoldenTests.fixture

  func demoJournal() async throws -> CLIFixture {
    let fixture = try CLIFixture()
    let imported = try await fixture.salvage("import", Self.demo)
    #expect(imported.status == 0, "\(imported.stderr)")
    return fixture
  }

  @Test(.tags(.integration)) func theDemoIncidentListsItsFourteenExecutionsOldRunToNewRun()
    async throws
  {
    // Given the demo incident, recorded on a real dev server: 3 OrderWorkflow reset with a move,
    // 3 PaymentWorkflow overridden, 3 ReportWorkflow terminated and restarted, 5 closed runs reset
    let fixture = try await demoJournal()
    // When its compensation list is asked for as CSV
    let result = try await fixture.salvage("targets", "--format", "csv")
    // Then there is a header and one row per execution: a batch's rows name its job and no new
    // run, a restart's and a closed reset's name the new run; each names the build salvage's
    // Versioning Override pins it to (the type's target, the good build for a closed reset)
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    #expect(
      rows.first
        == "workflow_id,workflow_type,status_before,done,old_run_id,new_run_id,batch_job,action,time_utc,note,pinned_to"
    )
    #expect(rows.count == 15)
    #expect(
      rows.contains(
        "stuck-orderworkflow-0,OrderWorkflow,Running,reset-with-move,01a2324e-3065-7ce8-aecf-832ad6a02c40,,"
          + "salvage/orders-demo/recover-OrderWorkflow-1,recover-OrderWorkflow-1,2026-12-01T15:52:07.849Z,,good"
      ))
    #expect(
      rows.contains(
        "stuck-paymentworkflow-0,PaymentWorkflow,Running,override,01a2324e-3088-773c-a10a-813d1ac92c19,,"
          + "salvage/orders-demo/recover-PaymentWorkflow-1,recover-PaymentWorkflow-1,2026-12-01T15:52:08.152Z,,fixed"
      ))
    #expect(
      rows.contains(
        "stuck-reportworkflow-0,ReportWorkflow,Running,restart,01a2324e-30cf-7484-8943-0887dd0eb651,"
          + "01a2324e-66ad-7332-abed-92e809fedb66,,recover-ReportWorkflow-1,2026-12-01T15:52:08.680Z,,good"
      ))
    #expect(
      rows.contains(
        "failed-0,FailWorkflow,Failed,reset,01a2324e-3120-77dc-845f-85bf74568714,"
          + "aba291fb-0869-4ea1-8c6e-36b99b68286d,,reset-closed-0-1,2026-12-01T15:52:10.949Z,,good")
    )
    let done = rows.dropFirst().map {
      $0.split(separator: ",", omittingEmptySubsequences: false)[3]
    }
    #expect(done.filter { $0 == "reset-with-move" }.count == 3)
    #expect(done.filter { $0 == "override" }.count == 3)
    #expect(done.filter { $0 == "restart" }.count == 3)
    #expect(done.filter { $0 == "reset" }.count == 5)
  }

  @Test(.tags(.integration)) func theDefaultIsATableForPeopleAndJSONIsTheSameRows() async throws {
    // Given the demo incident
    let fixture = try await demoJournal()
    // When the list is asked for as a table and as JSON
    let table = try await fixture.salvage("targets").stdout
    let json = try await fixture.salvage("targets", "--format", "json").stdout
    // Then the table has a header, 14 rows and a count; the JSON holds the same 14
    let lines = table.split(separator: "\n")
    #expect(lines.first?.hasPrefix("WORKFLOW ID") == true)
    #expect(lines.last == "14 executions acted on (new run empty: not known from a batch)")
    #expect(json.contains(#""newRunID" : null"#))
    let decoded = try JSONDecoder().decode([CompensationRow].self, from: Data(json.utf8))
    #expect(decoded.count == 14)
    #expect(
      decoded.filter { $0.done == .override }.map(\.workflowType) == [
        "PaymentWorkflow", "PaymentWorkflow", "PaymentWorkflow",
      ])
  }

  @Test func aWorkflowIDThatLooksLikeAFormulaStaysText() {
    // Given a row whose workflow id a spreadsheet would run as a formula
    let row = CompensationRow(
      workflowID: "=HYPERLINK(\"http://evil.example\",\"click\")", workflowType: "T",
      statusBefore: .failed,
      done: .reset, oldRunID: "r-1", newRunID: "r-2", batchJob: nil, action: "reset-closed-0-1",
      at: UTCTime(millisecondsSinceEpoch: 0))
    // When it is written as CSV, then the cell is quoted with a ' in front, and the rest is plain
    let csv = TargetsView.csv([row])
    #expect(
      csv.components(separatedBy: "\r\n")[1]
        == #""'=HYPERLINK(""http://evil.example"",""click"")",T,Failed,reset,r-1,r-2,,reset-closed-0-1,1970-01-01T00:00:00.000Z,,"#
    )
  }
}
