import Foundation
import SalvageTestSupport
import Testing

/// One driver per incident, between real `salvage run` processes against a real server.
@Suite(.tags(.integration), .serialized) struct LeaseIntegrationTests {
  /// A `salvage` process left running in the background, its output going to files.
  final class Background: @unchecked Sendable {
    let process = Process()
    let out: URL
    let err: URL

    init(_ arguments: [String], environment: [String: String], directory: TemporaryDirectory) throws {
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

    func wait(seconds: Double) throws -> Int32 {
      try eventually(within: seconds, "the background salvage run to end") { !process.isRunning }
      return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
  }

  @Test func aSecondOperatorIsRefusedUntilTheyTakeOverAndTheFirstRunThenStops() async throws {
    // Given alice's run holding the incident while it waits for the bad workers to stop
    let scenario = try Scenario()
    try scenario.badRollout(stuck: 1)
    let incident = try RunbookIncident(scenario)
    try incident.decide("OrderWorkflow", restartable: true)
    let environment = incident.fixture.environment.merging([
      "SALVAGE_LEASE_SECONDS": "6", "SALVAGE_OPERATOR": "alice",
    ]) { $1 }
    let alice = try Background(
      ["run", "--yes", "--poller-wait", "120"] + incident.flags, environment: environment,
      directory: incident.fixture.directory)
    try await eventually(within: 90, "alice's run to wait for the bad workers") {
      try incident.fixture.salvage("log").stdout.contains("PollersChecked: pollers: scenario-worker-bad@")
    }
    // When bob runs, he is refused, told who drives it and how to take over
    let bob = try incident.salvage(["run", "--yes"], environment: ["SALVAGE_OPERATOR": "bob"])
    #expect(bob.status == 6)
    #expect(bob.stderr.contains("is being driven by alice on"))
    #expect(bob.stderr.contains("--take-over"))
    #expect(try incident.fixture.salvage("status").stdout.contains("held by     alice (driving on"))
    // And when bob takes over, it is recorded, and alice's run stops at its next renewal
    let takeOver = try incident.salvage(
      ["run", "--yes", "--take-over", "--poller-wait", "0"], environment: ["SALVAGE_OPERATOR": "bob"])
    #expect(takeOver.status == 11, "\(takeOver.stderr)")
    #expect(try incident.fixture.salvage("log").stdout.contains("bob on"))
    #expect(try incident.fixture.salvage("log").stdout.contains("taken over from alice"))
    #expect(try alice.wait(seconds: 30) == 6)
    #expect(alice.stderr.contains("bob took over incident inc-1"))
    #expect(try incident.fixture.salvage("verify").status == 0)
  }

  @Test func aCrashedHoldersLeaseExpiresAndTheNextRunSaysSo() async throws {
    let scenario = try Scenario()
    try scenario.badRollout(stuck: 1)
    let incident = try RunbookIncident(scenario)
    let lease = ["SALVAGE_LEASE_SECONDS": "4"]
    // Given alice's run killed while it held the lease
    let killed = try incident.salvage(
      ["run", "--yes", "--until", "stopped"],
      environment: lease.merging(["SALVAGE_OPERATOR": "alice", "SALVAGE_TEST_CRASH_AT": "after-intent:stop-1"]) { $1 })
    #expect(killed.killedBySignal)
    // When bob runs at once, the lease is still live
    let early = try incident.salvage(["run", "--yes", "--until", "stopped"], environment: lease.merging(["SALVAGE_OPERATOR": "bob"]) { $1 })
    #expect(early.status == 6)
    // Then once it expires, bob's run takes the incident, records why, and finishes the step
    try await eventually(within: 30, "alice's lease to expire") {
      try incident.salvage(["run", "--yes", "--until", "stopped"], environment: lease.merging(["SALVAGE_OPERATOR": "bob"]) { $1 })
        .status == 0
    }
    let log = try incident.fixture.salvage("log").stdout
    #expect(log.contains("after alice's lease expired"))
    #expect(log.contains("stop-1 abandoned"))
    #expect(try incident.fixture.salvage("verify").status == 0)
  }
}
