import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import SalvageTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// One driver per incident, per run: leases held by a run (a live or a gone process on this host),
/// handoffs while a run drives, and a second open incident on the same bad build.
@Suite(.tags(.integration)) struct OneDriverTests {
  /// Nothing listens there: a run allowed to drive takes the lease, then fails to connect.
  static let nowhere = [
    "--address", "127.0.0.1:1", "--disable-config-file", "--disable-config-env",
  ]

  /// Records in `fixture`'s journal a lease of `operatorName`'s run with process `pid` on this
  /// host, ending `seconds` from now (an hour by default; a negative number: already expired).
  func recordLease(
    _ fixture: CLIFixture, operatorName: String, pid: Int32, seconds: Int64 = 3_600
  ) throws {
    let now: @Sendable () -> UTCTime = {
      UTCTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
    }
    let journal = try SQLiteEventJournal(path: fixture.journal, create: false, now: now)
    let id = try #require(IncidentID(rawValue: "inc-1"))
    let state = try #require(try journal.state(of: id))
    let run = RunIdentity(
      runID: "other-run", operatorName: operatorName, host: ProcessInfo.processInfo.hostName,
      pid: Int(pid))
    let expires = UTCTime(millisecondsSinceEpoch: now().millisecondsSinceEpoch + seconds * 1_000)
    var generator = SystemRandomNumberGenerator()
    let lease = PendingEvent(
      id: EventID.make(at: now(), using: &generator),
      event: .leaseAcquired(LeaseAcquired(run, expiresAt: expires, found: .free)))
    let none: ExecutionSet? = nil
    _ = try journal.append(
      [lease], to: id, expectedVersion: state.version, actor: operatorName, executions: none)
  }

  /// The id of a process that has come and gone.
  func gonePid() async throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    await process.exited()
    return process.processIdentifier
  }

  @Test func aSecondRunOfTheSameOperatorOnTheSameHostIsRefusedNamingTheHoldersPid() async throws {
    // Given alice's run (this test's own live process) holding incident inc-1
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try recordLease(fixture, operatorName: "alice", pid: getpid())
    let before = try await fixture.rawLog()
    // When alice starts another run on the same host
    let second = try await SalvageProcess.run(
      ["run", "--yes"] + Self.nowhere, environment: fixture.environment)
    // Then it is refused with exit 6, naming the holder's pid and the way to take over, and nothing is written
    #expect(second.status == 6, "\(second.stderr)")
    #expect(
      second.stderr.contains("is being driven by alice (pid \(getpid()) on "), "\(second.stderr)")
    #expect(second.stderr.contains("--take-over"))
    #expect(try await fixture.rawLog() == before)
  }

  @Test func theSameOperatorTakingOverTheirOtherRunIsRecorded() async throws {
    // Given alice's live run holding the incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try recordLease(fixture, operatorName: "alice", pid: getpid())
    // When alice's second run takes over
    let second = try await SalvageProcess.run(
      ["run", "--yes", "--take-over"] + Self.nowhere, environment: fixture.environment)
    // Then it drives (it got as far as the unreachable server), and the take-over names the run it replaced
    #expect(second.status == 20, "\(second.stderr)")
    #expect(
      try await fixture.salvage("log").stdout.contains("taken over from alice (pid \(getpid()))"))
  }

  @Test func aRunWhoseProcessIsGoneFromThisHostLosesItsLeaseAtOnceAndTheNextRunSaysSo() async throws
  {
    // Given a live lease of bob's run, whose process is gone from this host
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let pid = try await gonePid()
    try recordLease(fixture, operatorName: "bob", pid: pid)
    // When alice runs, without --take-over
    let run = try await SalvageProcess.run(
      ["run", "--yes"] + Self.nowhere, environment: fixture.environment)
    // Then she takes the incident at once, says why, and the journal records it
    #expect(run.status == 20, "\(run.stderr)")
    #expect(run.stdout.contains("bob (pid \(pid) on "), "\(run.stdout)")
    #expect(run.stdout.contains("run is gone from this host; its lease ended with it"))
    #expect(
      try await fixture.salvage("log").stdout.contains(
        "after bob's run (pid \(pid)) ended on this host"))
  }

  @Test func aHandoffWhileTheCallersOwnRunDrivesIsRefused() async throws {
    // Given alice's own run, alive, holding the incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try recordLease(fixture, operatorName: "alice", pid: getpid())
    let before = try await fixture.rawLog()
    // When alice hands the incident to bob, then it is refused with exit 6 and nothing is recorded
    let handoff = try await fixture.salvage("handoff", "--to", "bob")
    #expect(handoff.status == 6, "\(handoff.stderr)")
    #expect(handoff.stderr.contains("is being driven by alice (pid \(getpid())"))
    #expect(try await fixture.rawLog() == before)
  }

  @Test func aHandoffWhileALiveRunOnThisHostIsBusyPastItsLeaseIsRefused() async throws {
    // Given alice's run, alive on this host, whose lease ran out a minute ago (a long chunk)
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try recordLease(fixture, operatorName: "alice", pid: getpid(), seconds: -60)
    let before = try await fixture.rawLog()
    // When bob hands the incident to carol
    let handoff = try await fixture.salvage(
      "handoff", "--to", "carol", environment: ["SALVAGE_OPERATOR": "bob"])
    // Then it is refused with exit 6 as a run would be, naming the live holder, and nothing is recorded
    #expect(handoff.status == 6, "\(handoff.stderr)")
    #expect(handoff.stderr.contains("is being driven by alice (pid \(getpid())"))
    #expect(try await fixture.rawLog() == before)
  }

  @Test func aHandoffAfterTheCallersOwnRunIsGoneIsAllowedButNotSomeoneElses() async throws {
    // Given a live lease of alice's run, whose process is gone from this host
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try recordLease(fixture, operatorName: "alice", pid: try await gonePid())
    // When bob tries to hand it off, then it is refused: the run was not his
    let bobs = try await fixture.salvage(
      "handoff", "--to", "carol", environment: ["SALVAGE_OPERATOR": "bob"])
    #expect(bobs.status == 6, "\(bobs.stderr)")
    // And when alice hands it off, it is recorded and her run's lease goes with it
    let alices = try await fixture.salvage("handoff", "--to", "bob")
    #expect(alices.status == 0, "\(alices.stderr)")
    #expect(
      try await fixture.salvage("log").stdout.contains("HandedOff: handed off from alice to bob"))
    let status = try await fixture.salvage("status").stdout
    #expect(status.contains("held by     bob") && !status.contains("driving on"), "\(status)")
  }

  @Test func aSecondOpenIncidentOnTheSameBadBuildIsRefusedUnlessForcedWhichIsRecorded() async throws
  {
    // Given an open incident inc-1 on orders, bad build v2
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let before = try await fixture.rawLog()
    // When another incident is opened on the same deployment and bad build
    let arguments = [
      "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident",
      "inc-2",
    ]
    let second = try await SalvageProcess.run(arguments, environment: fixture.environment)
    // Then it is refused with exit 3, naming the open incident, and nothing is written
    #expect(second.status == 3, "\(second.stderr)")
    #expect(
      second.stderr
        == "salvage: incident inc-1 is already open for orders bad build v2 in \(fixture.journal): "
        + "use it (--incident), or open another with --force\n")
    #expect(try await fixture.rawLog() == before)
    // And with --force it opens, and its opening records the incident it was forced beside
    let forced = try await SalvageProcess.run(
      arguments + ["--force"], environment: fixture.environment)
    #expect(forced.status == 0, "\(forced.stderr)")
    #expect(
      try await fixture.salvage("log", "--incident", "inc-2").stdout.contains(
        "(forced beside open inc-1)"))
    // And another bad build of the same deployment needs no force
    let other = try await SalvageProcess.run(
      [
        "open", "--deployment", "orders", "--bad-build", "v3", "--good-build", "v1", "--incident",
        "inc-3",
      ],
      environment: fixture.environment)
    #expect(other.status == 0, "\(other.stderr)")
  }
}
