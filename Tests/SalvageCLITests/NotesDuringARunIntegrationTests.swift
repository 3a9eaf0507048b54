import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

/// Other shells write to the incident while a run drives it; the run goes on.
@Suite(.tags(.integration)) struct NotesDuringARunIntegrationTests {
  @Test func fiftyNotesFromAnotherProcessDuringARealDrainDoNotStopTheRunFromReachingCleaned()
    async throws
  {
    // Given a bad rollout with stuck and failed runs, the bad workers stopped, and a decision
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 3, failed: 2)
    try await scenario.startWorker("fixed")
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    // When salvage runs in the background, and once it is recovering another shell adds 50 notes
    let run = try LeaseIntegrationTests.Background(
      ["run", "--yes"] + incident.flags, environment: incident.fixture.environment,
      directory: incident.fixture.directory)
    try await eventually(within: 90, "the run to launch its recovery batch") {
      try await incident.fixture.salvage("log").stdout.contains(
        "ActionSucceeded: recover-OrderWorkflow-1 launched batch")
    }
    var refused: [String] = []
    for index in 0..<50 {
      let note = try await incident.fixture.salvage(
        "note", "watching the drain, \(index)", environment: ["SALVAGE_OPERATOR": "bob"])
      if note.status != 0 { refused.append(note.stderr) }
    }
    // Then every note was recorded, and the run reached cleaned without a conflict
    #expect(refused.isEmpty, "\(refused.prefix(2))")
    #expect(try await run.wait(seconds: 300) == 0, "\(run.stderr)")
    let types = try await incident.eventTypes()
    #expect(types.filter { $0 == "NoteAdded" }.count == 50)
    #expect(types.contains("VersionDeleted"))
    let status = try await incident.fixture.salvage("status").stdout
    #expect(status.contains("phase       cleaned"))
    // And the notes came in among the run's own events from its recovery on (drainage, the
    // closed resets, the clean-up): each of those appends met a journal that had moved on
    let firstNote = try #require(types.firstIndex(of: "NoteAdded"))
    let runEventsAfter = types[firstNote...].filter { $0 != "NoteAdded" }
    #expect(runEventsAfter.contains("DrainageObserved"), "\(types)")
    #expect(runEventsAfter.contains("VersionDeleted"))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }
}
