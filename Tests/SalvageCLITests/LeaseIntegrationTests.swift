import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

/// One driver per incident, between real `salvage run` processes against a real server.
@Suite(.tags(.integration), .serialized) struct LeaseIntegrationTests {
  /// A `salvage` process left running in the background, its output going to files.
  final class Background: @unchecked Sendable {
    let process = Process()
    let out: URL
    let err: URL

    init(_ arguments: [String], environment: [String: String], directory: TemporaryDirectory) throws
    {
      out = directory.url.appendingPathComponent("bg-\(UUID().uuidString.prefix(6)).out")
      err = out.appendingPathExtension("err")
      FileManager.default.createFile(atPath: out.path, contents: nil)
      FileManager.default.createFile(atPath: err.path, contents: nil)
      process.executableURL = SalvageProcess.executable
      process.arguments = arguments
      var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
      env.merge(environment) { $1 }
      process.environment = env
      process.standardOutput = try FileHandle(forWritingTo: out)
      process.standardError = try FileHandle(forWritingTo: err)
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }

    var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }

    func wait(seconds: Double) async throws -> Int32 {
      try await eventually(within: seconds, "the background salvage run to end") {
        !process.isRunning
      }
      return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
  }

  @Test func aTakeOverWhileASlowChunkResetsLeavesEveryClosedRunWithExactlyTwoRuns() async throws {
    // Given 12 failed runs on the bad build, its workers gone, and alice's run resetting them at
    // one a second
    let scenario = try await Scenario()
    try await scenario.badRollout(failed: 12)
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    let alice = try Background(
      ["run", "--yes", "--rps", "1", "--poller-wait", "60"] + incident.flags,
      environment: incident.fixture.environment.merging(["SALVAGE_OPERATOR": "alice"]) { $1 },
      directory: incident.fixture.directory)
    try await eventually(within: 120, "alice's chunk to have reset a few runs") {
      try await incident.runsPerWorkflow(prefix: "failed-").values.filter { $0 == 2 }.count >= 3
    }
    // When bob takes the incident over in the middle of the chunk, at full pace
    let bob = try await incident.salvage(
      ["run", "--yes", "--take-over", "--poller-wait", "60"],
      environment: ["SALVAGE_OPERATOR": "bob"])
    // Then alice's run stopped at her next reset, and bob's settled the chunk and finished
    #expect(try await alice.wait(seconds: 60) == 6, "\(alice.stderr)")
    #expect(bob.status == 0, "\(bob.stderr)\n\(bob.stdout)")
    // And every failed run has exactly two runs: its own and one reset, by alice or by bob
    let runs = try await incident.runsPerWorkflow(prefix: "failed-")
    #expect(runs.count == 12)
    #expect(runs.values.allSatisfy { $0 == 2 }, "\(runs)")
    #expect(try await incident.fixture.salvage("status").stdout.contains("phase       cleaned"))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  @Test func aSecondOperatorIsRefusedUntilTheyTakeOverAndTheFirstRunThenStops() async throws {
    // Given alice's run holding the incident while it waits for the bad workers to stop
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    let environment = incident.fixture.environment.merging([
      "SALVAGE_LEASE_SECONDS": "6", "SALVAGE_OPERATOR": "alice",
    ]) { $1 }
    let alice = try Background(
      ["run", "--yes", "--poller-wait", "120"] + incident.flags, environment: environment,
      directory: incident.fixture.directory)
    try await eventually(within: 90, "alice's run to wait for the bad workers") {
      try await incident.fixture.salvage("log").stdout.contains(
        "PollersChecked: pollers: scenario-worker-bad@")
    }
    // When bob runs, he is refused, told who drives it and how to take over
    let bob = try await incident.salvage(
      ["run", "--yes"], environment: ["SALVAGE_OPERATOR": "bob"])
    #expect(bob.status == 6)
    #expect(
      bob.stderr.contains("is being driven by alice (pid \(alice.process.processIdentifier) on "),
      "\(bob.stderr)")
    #expect(bob.stderr.contains("--take-over"))
    #expect(
      try await incident.fixture.salvage("status").stdout.contains("held by     alice (driving on"))
    // And when bob takes over, it is recorded, and alice's run stops at its next renewal
    let takeOver = try await incident.salvage(
      ["run", "--yes", "--take-over", "--poller-wait", "0"],
      environment: ["SALVAGE_OPERATOR": "bob"])
    #expect(takeOver.status == 11, "\(takeOver.stderr)")
    #expect(try await incident.fixture.salvage("log").stdout.contains("bob on"))
    #expect(try await incident.fixture.salvage("log").stdout.contains("taken over from alice"))
    #expect(try await alice.wait(seconds: 30) == 6)
    #expect(alice.stderr.contains("took over incident inc-1"), "\(alice.stderr)")
    #expect(alice.stderr.hasPrefix("salvage: bob (pid "))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  @Test func theSameOperatorsSecondTerminalIsRefusedNamingThePidUntilItTakesOver() async throws {
    // Given alice's run holding the incident while it waits for the bad workers to stop
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    let environment = incident.fixture.environment.merging(["SALVAGE_LEASE_SECONDS": "6"]) { $1 }
    let first = try Background(
      ["run", "--yes", "--poller-wait", "120"] + incident.flags, environment: environment,
      directory: incident.fixture.directory)
    try await eventually(within: 90, "alice's first run to wait for the bad workers") {
      try await incident.fixture.salvage("log").stdout.contains(
        "PollersChecked: pollers: scenario-worker-bad@")
    }
    let pid = first.process.processIdentifier
    // When alice runs again in another terminal, on the same host, she is refused, told which run drives it
    let second = try await incident.salvage(["run", "--yes"])
    #expect(second.status == 6, "\(second.stderr)")
    #expect(second.stderr.contains("is being driven by alice (pid \(pid) on "), "\(second.stderr)")
    // And she cannot hand it off while her first run drives it
    let handoff = try await incident.fixture.salvage("handoff", "--to", "bob")
    #expect(handoff.status == 6, "\(handoff.stderr)")
    // And when her second run takes over, it is recorded, and the first run stops at its next renewal
    let takeOver = try await incident.salvage(["run", "--yes", "--take-over", "--poller-wait", "0"])
    #expect(takeOver.status == 11, "\(takeOver.stderr)")
    #expect(
      try await incident.fixture.salvage("log").stdout.contains(
        "taken over from alice (pid \(pid))"))
    #expect(try await first.wait(seconds: 30) == 6)
    #expect(first.stderr.contains("took over incident inc-1"), "\(first.stderr)")
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  @Test func aCrashedHoldersLeaseEndsAtOnceOnItsHostAndTheNextRunSaysSo() async throws {
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 1)
    let incident = try await RunbookIncident(scenario)
    let lease = ["SALVAGE_LEASE_SECONDS": "600"]
    // Given alice's run killed while it held a lease good for ten more minutes
    let killed = try await incident.salvage(
      ["run", "--yes", "--until", "stopped"],
      environment: lease.merging([
        "SALVAGE_OPERATOR": "alice", "SALVAGE_TEST_CRASH_AT": "after-intent:stop-1",
      ]) { $1 })
    #expect(killed.killedBySignal)
    // When bob runs at once on the same host, then alice's run is found gone: he takes the incident and says so
    let bob = try await incident.salvage(
      ["run", "--yes", "--until", "stopped"],
      environment: lease.merging(["SALVAGE_OPERATOR": "bob"]) { $1 })
    #expect(bob.status == 0, "\(bob.stderr)")
    #expect(
      bob.stdout.contains("run is gone from this host; its lease ended with it"), "\(bob.stdout)")
    let log = try await incident.fixture.salvage("log").stdout
    #expect(log.contains("ended on this host"))
    #expect(log.contains("stop-1 abandoned"))
    #expect(try await incident.fixture.salvage("verify").status == 0)
  }

  @Test func twoJournalsDrivingTheSameIncidentLaunchItsBatchOnceTheSecondIsSettledAsAlreadyStarted()
    async throws
  {
    // Given stuck runs, an incident identified and decided in alice's journal, and a copy adopted in bob's
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 2)
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    let identified = try await incident.salvage(["run", "--yes", "--until", "identified"])
    #expect(identified.status == 0, "\(identified.stderr)")
    let file = incident.fixture.directory.path("copy.jsonl")
    #expect(try await incident.fixture.salvage("export", "--out", file).status == 0)
    let other = incident.fixture.directory.path("bob.sqlite")
    #expect(
      try await incident.fixture.salvage("import", "--adopt", file, "--journal", other).status == 0)
    // When alice's journal recovers, launching its batch, and then bob's, from the same history, does too
    let first = try await incident.salvage(["recover", "--yes"])
    #expect(first.status == 0, "\(first.stderr)\n\(first.stdout)")
    let second = try await incident.salvage(
      ["recover", "--yes", "--journal", other], environment: ["SALVAGE_OPERATOR": "bob"])
    #expect(second.status == 0, "\(second.stderr)\n\(second.stdout)")
    // Then the server refused bob's launch of the same job id, and his journal settled it as already started
    func batchJobs(_ journal: String) async throws -> [String] {
      try await incident.fixture.salvage("log", "--journal", journal, "--output", "jsonl").stdout
        .split(
          separator: "\n"
        )
        .compactMap { line in
          guard
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            event["type"] as? String == "ActionSucceeded",
            let payload = event["payload"] as? [String: Any]
          else { return nil }
          return payload["batchJob"] as? String
        }
    }
    let jobs = try await batchJobs(incident.fixture.journal)
    #expect(jobs.count == 1 && jobs.first?.hasPrefix("salvage/inc-1/recover") == true, "\(jobs)")
    await #expect(try batchJobs(other) == jobs)
    let job = try #require(jobs.first)
    #expect(second.stdout.contains("the launch answered 'already exists"), "\(second.stdout)")
    #expect(second.stdout.contains("but batch \(job) exists; following it"), "\(second.stdout)")
    #expect(!second.stdout.contains("launched batch"), "\(second.stdout)")
    // And each stuck workflow was reset once: one batch, not two
    let runs = try await incident.runsPerWorkflow(prefix: "stuck-")
    #expect(runs.count == 2 && runs.values.allSatisfy { $0 == 2 }, "\(runs)")
  }
}
