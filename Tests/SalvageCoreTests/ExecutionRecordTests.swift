import SalvageCore
import Testing

@Suite struct ExecutionRecordTests {
  @Test func aSetsCanonicalTextIsOneLinePerRunByRunIDWithTabsAndBreaksInValuesAsSpaces() {
    // Given two runs listed out of order, one whose values hold a tab, a newline and a return
    let runs = [
      ExecutionRecord(
        workflowID: "wf\r2", runID: "run-2", workflowType: "Ledger\t\"main\"", status: .failed,
        hasReportedProblems: false, chunk: 3, firstEvent: "ab\n12"),
      ExecutionRecord(
        workflowID: "wf-1", runID: "run-1", workflowType: "台帳", status: .running,
        hasReportedProblems: true),
    ]
    // When the set's canonical text is made
    let text = String(decoding: ExecutionRecord.canonicalBytes(runs), as: UTF8.self)
    // Then runs go by run id, fields are tab-separated, and the values' own tabs and breaks are spaces
    #expect(
      text == "run-1\twf-1\t台帳\tRunning\t1\t\nrun-2\twf 2\tLedger \"main\"\tFailed\t0\t3\tab 12")
  }

  @Test(
    arguments: [
      ("orders:bad", "orders", "bad"),
      ("orders:build:7", "orders", "build:7"),
      ("dépl:ü", "dépl", "ü"),
      (":\u{301}x", nil, nil),
      ("orders:\u{301}x", "orders", "\u{301}x"),
      ("orders:", nil, nil),
      ("orders", nil, nil),
    ] as [(String, String?, String?)])
  func aVisibilityValueIsCutAtItsFirstColon(value: String, name: String?, build: String?) {
    let version = WorkerDeploymentVersion(visibilityValue: value)
    #expect(version?.deploymentName == name)
    #expect(version?.buildID == build)
  }
}

@Suite struct LastListingTests {
  @Test func aRunListedTwiceKeepsItsLaterListingAndTheSetGoesByRunID() {
    // Given a listing of c, a (Running), b, a again (Failed: it closed between two pages)
    let run = { (id: String, status: ExecutionStatus) in
      ExecutionRecord(
        workflowID: "wf-\(id)", runID: id, workflowType: "T", status: status,
        hasReportedProblems: false)
    }
    var listed = [run("c", .running), run("a", .running), run("b", .running), run("a", .failed)]
    // When each run is kept once
    ExecutionRecord.keepLastListing(&listed)
    // Then the runs go by run id, and a is as it was last listed
    #expect(listed == [run("a", .failed), run("b", .running), run("c", .running)])
  }
}
