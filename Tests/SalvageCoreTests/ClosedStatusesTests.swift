import SalvageCore
import SalvageFakes
import Testing

@Suite struct ClosedStatusesTests {
  var details: IncidentState.Details {
    get throws { try #require(RunbookHistory().state.details) }
  }

  @Test func chosenStatusesAreReadInTheirListedOrderWithoutRepeats() throws {
    // Given statuses typed in any order, one twice, with spaces
    // When they are read, then they come back once each, in the order salvage lists them
    #expect(
      try ClosedStatuses.parse("Completed, Failed,Terminated,Failed") == [
        .failed, .completed, .terminated,
      ])
  }

  @Test(arguments: [
    (
      "ContinuedAsNew",
      "ContinuedAsNew is never a target: its work goes on in the run it continued as"
    ),
    (
      "Failed,Running",
      "Running is not a closed status: choose from Failed, TimedOut, Completed, Terminated, Canceled"
    ),
    (
      "failed",
      "unknown closed status 'failed': choose from Failed, TimedOut, Completed, Terminated, Canceled"
    ),
    ("", "choose at least one closed status: Failed, TimedOut, Completed, Terminated, Canceled"),
  ])
  func aStatusThatCannotBeChosenIsRefusedByName(text: String, message: String) {
    // Given a list with a status that is no target, when it is read, then the error names it
    #expect(throws: InputError(message)) { try ClosedStatuses.parse(text) }
  }

  @Test func aDecisionRecordsTheDefaultStatusesWhenNoneWereChosen() throws {
    // Given a decision made without a choice of closed statuses
    let decided = try StrategyDecided.make(
      workflowType: "T", restartable: true, corrupted: false, replaySafeBuild: nil,
      incident: details,
      source: .operatorDecision, rationale: "r")
    // Then it records Failed and TimedOut, and its summary says nothing more than before
    #expect(decided.closedStatuses == [.failed, .timedOut])
    #expect(
      IncidentEvent.strategyDecided(decided).summary
        == "T: reset-first-task-to-good-build to v1 (by operator: r)")
  }

  @Test func eachTypeIsResetInItsOwnChoiceAndOthersInTheDefault() throws {
    // Given Completed chosen for ReportWorkflow, and no decision for FailWorkflow
    var history = RunbookHistory()
    let decided = try StrategyDecided.make(
      workflowType: "ReportWorkflow", restartable: true, corrupted: false, replaySafeBuild: nil,
      incident: details,
      source: .operatorDecision, rationale: "r", closedStatuses: [.completed])
    history.record(.strategyDecided(decided))
    let state = history.state
    // Then each type's statuses are its own, and the freeze lists the union
    #expect(state.progress.closedStatuses(for: "ReportWorkflow") == [.completed])
    #expect(state.progress.closedStatuses(for: "FailWorkflow") == [.failed, .timedOut])
    #expect(state.progress.anyClosedStatuses == [.failed, .timedOut, .completed])
    #expect(
      IncidentEvent.strategyDecided(decided).summary
        == "ReportWorkflow: reset-first-task-to-good-build to v1 (by operator: r); closed runs reset when Completed"
    )
  }

  @Test func theOperatorSeesWhatEachChoiceWouldInclude() throws {
    // Given the default choice
    let progress = RunbookProgress()
    func group(_ status: ExecutionStatus) -> AffectedGroup {
      AffectedGroup(workflowType: "T", status: status, count: 1, withReportedProblems: 0)
    }
    // Then Failed is reset, Completed is not (and how to add it), ContinuedAsNew never, Running is no closed run
    #expect(
      progress.closedChoice(for: group(.failed))
        == "reset after drainage (chosen: Failed, TimedOut)")
    #expect(
      progress.closedChoice(for: group(.completed))
        == "not reset (chosen: Failed, TimedOut; add Completed with salvage decide --closed-statuses)"
    )
    #expect(progress.closedChoice(for: group(.continuedAsNew))?.hasPrefix("never reset") == true)
    #expect(progress.closedChoice(for: group(.running)) == nil)
  }
}
