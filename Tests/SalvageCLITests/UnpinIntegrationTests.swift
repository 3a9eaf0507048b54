import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// `salvage unpin` on a real dev server with real workers.
@Suite(.tags(.integration), .serialized) struct UnpinIntegrationTests {
  @Test
  func
    unpinLeavesRunsThatWouldGoBackToTheBadBuildPinnedThenRemovesTheOverridesOnceATaskCompletedOnTheirBuild()
    async throws
  {
    // Given two long-lived LongWorkflow runs stuck on the bad build, overridden to the registered
    // fixed build while its workers are down (so no task of theirs has completed there), and the
    // incident cleaned
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2, stuckTypes: ["LongWorkflow"])
    try await scenario.startWorker("fixed")
    // Stopped seconds before the run: the recovery still sees it polling (within the 70 s long-poll
    // window), yet no task of the moved runs can complete on fixed.
    try await scenario.stopWorker("fixed")
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("LongWorkflow", restartable: false, target: "fixed")
    let run = try await incident.salvage(["run", "--yes"])
    #expect(run.status == 0, "\(run.stderr)\n\(run.stdout)")
    let client = try incident.client
    let ids = ["stuck-longworkflow-0", "stuck-longworkflow-1"]
    for id in ids {
      #expect(
        try await client.describeWorkflow(id: id, runID: nil).overrideVersion
          == scenario.version("fixed"))
    }

    // When the operator asks for the dry run
    let dry = try await incident.salvage(["unpin"])
    // Then it exits 0, says both stay pinned because their last task completed on the bad build,
    // and changes nothing
    #expect(dry.status == 0, "\(dry.stderr)\n\(dry.stdout)")
    #expect(dry.stdout.contains("0 to unpin in 0 batches"), "\(dry.stdout)")
    #expect(dry.stdout.contains("2 left pinned"), "\(dry.stdout)")
    #expect(dry.stdout.contains("its last Workflow Task completed on orders:bad"), "\(dry.stdout)")
    for id in ids {
      #expect(
        try await client.describeWorkflow(id: id, runID: nil).overrideVersion
          == scenario.version("fixed"))
    }
    #expect(try await incident.eventTypes().contains("OverridesReviewed") == false)

    // When the fixed workers come back and a task of each run completes on fixed
    try await scenario.startWorker("fixed")
    try await eventually(within: 120, "a task of each run to complete on fixed") {
      for id in ids
      where try await client.describeWorkflow(id: id, runID: nil).deploymentVersion
        != scenario.version("fixed")
      {
        return false
      }
      return true
    }
    let dryAgain = try await incident.salvage(["unpin"])
    #expect(dryAgain.stdout.contains("2 to unpin in 1 batches"), "\(dryAgain.stdout)")
    #expect(
      dryAgain.stdout.contains("temporal workflow update-options --query"), "\(dryAgain.stdout)")
    #expect(
      dryAgain.stdout.contains("--versioning-override-behavior unspecified"), "\(dryAgain.stdout)")
    let unpinned = try await incident.salvage(["unpin", "--yes"])
    // (SALVAGE_UNPIN_OUTPUT=DIR keeps what the operator saw, for the record.)
    if let directory = ProcessInfo.processInfo.environment["SALVAGE_UNPIN_OUTPUT"] {
      for (name, text) in [
        ("dry-run-before.txt", dry.stdout), ("dry-run-after.txt", dryAgain.stdout),
        ("unpin.txt", unpinned.stdout),
      ] {
        try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
      }
    }
    // Then both overrides are removed by one batch, and the runs stay Running on fixed by their own
    // Pinned behavior
    #expect(unpinned.status == 0, "\(unpinned.stderr)\n\(unpinned.stdout)")
    #expect(unpinned.stdout.contains("from 2 executions"), "\(unpinned.stdout)")
    #expect(unpinned.stdout.contains("none left pinned"), "\(unpinned.stdout)")
    for id in ids {
      let described = try await client.describeWorkflow(id: id, runID: nil)
      #expect(described.overrideVersion == nil)
      #expect(described.status == .running)
      #expect(described.deploymentVersion == scenario.version("fixed"))
      #expect(described.versioningBehavior == .pinned)
    }

    // When it runs again
    let again = try await incident.salvage(["unpin", "--yes"])
    // Then nothing is left to do, and no second batch was started
    #expect(again.status == 0, "\(again.stderr)\n\(again.stdout)")
    #expect(again.stdout.contains("from 0 executions; none left pinned"), "\(again.stdout)")
    let log = try await incident.fixture.salvage("log").stdout
    #expect(log.components(separatedBy: "ActionStarted: unpin-").count - 1 == 1, "\(log)")
    #expect(try await incident.eventTypes().filter { $0 == "OverridesReviewed" }.count == 2)
    // And status says what unpin removed, beside the pins recovery left
    let status = try await incident.fixture.salvage("status").stdout
    #expect(status.contains("pinned      2 to build fixed by override"), "\(status)")
    #expect(
      status.contains("unpinned    2 by salvage unpin; its latest review left 0 pinned"),
      "\(status)")
  }
}
