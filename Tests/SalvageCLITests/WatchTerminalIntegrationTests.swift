import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `salvage watch` in a real terminal (a tmux pane) beside a real `salvage run` against a real
/// server.
@Suite(.tags(.integration), .serialized) struct WatchTerminalIntegrationTests {
  /// A detached tmux session on its own server socket, running one command in a 120x45 pane.
  final class Pane: @unchecked Sendable {
    let socket = "salvage-watch-\(UUID().uuidString.prefix(8))"
    let directory: TemporaryDirectory

    init(_ command: String, in directory: TemporaryDirectory) async throws {
      self.directory = directory
      let started = try await tmux(
        ["new-session", "-d", "-s", "watch", "-x", "120", "-y", "45", command])
      #expect(started.status == 0)
    }

    /// The pane's screen as text, one line per row.
    func capture() async throws -> String {
      try await tmux(["capture-pane", "-p", "-t", "watch"]).output
    }

    /// Runs a tmux command on this pane's server, its output through a file. Spawned and waited
    /// for by hand: the tmux server keeps a client's descriptors (a pipe never sees its end), and
    /// Foundation's `Process` in the test bundle was seen never to reap the client. The wait is on
    /// a thread of its own, not one of Swift concurrency's.
    @discardableResult
    func tmux(_ arguments: [String]) async throws -> (status: Int32, output: String) {
      let file = directory.path("tmux-\(UUID().uuidString.prefix(6)).out")
      defer { unlink(file) }
      let command = ["tmux", "-L", socket] + arguments
      let status = try await offCooperativePool { try Self.spawn(command, output: file) }
      return (status, (try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
    }

    /// Runs `arguments` through `/usr/bin/env`, stdin and stderr on /dev/null, stdout to `output`,
    /// and waits for it; its exit status.
    static func spawn(_ arguments: [String], output: String) throws -> Int32 {
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
      let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
      defer { for pointer in argv { free(pointer) } }
      var pid: pid_t = 0
      let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
      guard spawned == 0 else { throw CocoaError(.executableLoad) }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0, errno == EINTR {}
      return (status >> 8) & 0xff
    }

    /// Kills the pane's server on a thread of its own, not waited for (a deinit cannot await).
    deinit {
      let socket = socket
      Thread { _ = try? Self.spawn(["tmux", "-L", socket, "kill-server"], output: "/dev/null") }
        .start()
    }
  }

  static func quoted(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  @Test func aWatchInATerminalRedrawsOneScreenWhileARunDrivesTheIncidentToCleaned() async throws {
    // Given a bad rollout with stuck and failed runs, its bad worker stopped, the incident decided
    let scenario = try await Scenario()
    try await scenario.badRollout(stuck: 3, failed: 4)
    try await scenario.stopWorker("bad")
    let incident = try await RunbookIncident(scenario)
    try await incident.decide("OrderWorkflow", restartable: true)
    // When bob watches it in a terminal while alice's run drives it (the pane's sleep keeps the
    // last screen for capture; a kill-server does not stop a server whose pane still runs it, so
    // it bounds how long the tmux server outlives the test)
    let pane = try await Pane(
      "env TERM=xterm SALVAGE_JOURNAL=\(Self.quoted(incident.fixture.journal)) "
        + "\(Self.quoted(SalvageProcess.executable.path)) watch --interval 0.2; sleep 120",
      in: incident.fixture.directory)
    try await eventually(within: 30, "the watch's first screen") {
      try await pane.capture().contains("  next:")
    }
    let alice = try LeaseIntegrationTests.Background(
      ["run", "--yes", "--poller-wait", "60"] + incident.flags,
      environment: incident.fixture.environment.merging(["SALVAGE_OPERATOR": "alice"]) { $1 },
      directory: incident.fixture.directory)
    var screens: [String] = []
    try await eventually(within: 240, "the watch to say the incident is cleaned") {
      let screen = try await pane.capture()
      if screens.last != screen { screens.append(screen) }
      return screen.contains("Incident inc-1 is cleaned.")
    }
    #expect(try await alice.wait(seconds: 60) == 0, "\(alice.stderr)")
    // Then while the run drove, the screen named alice's run as the driver
    let pid = alice.process.processIdentifier
    let driven = screens.filter { $0.contains("driving:     alice (pid \(pid) on ") }
    #expect(!driven.isEmpty, "\(screens.joined(separator: "\n----\n"))")
    // And the last screen shows one frame (redrawn in place, not scrolled), at cleaned
    let last = try #require(screens.last)
    #expect(last.components(separatedBy: "  phase:").count == 2, "\(last)")
    #expect(last.contains("  phase:       cleaned"), "\(last)")
    #expect(last.contains("VersionDeleted: version deleted, confirmed gone"), "\(last)")
    #expect(!last.contains("\u{1B}"))
    // And the watch took no lease: every lease event is alice's run's
    let log = try await incident.fixture.salvage("log").stdout
    #expect(!log.contains(" watch Lease"))
    // And a watch started after the end prints the same end in a pipe and exits 0 at once
    let again = try await incident.fixture.salvage("watch")
    #expect(again.status == 0)
    #expect(again.stdout.hasSuffix("Incident inc-1 is cleaned.\n"), "\(again.stdout)")
    // The screens, for the record (SALVAGE_WATCH_SCREENS names a directory to keep them in)
    if let keep = ProcessInfo.processInfo.environment["SALVAGE_WATCH_SCREENS"] {
      for (index, screen) in screens.enumerated() {
        try screen.write(
          toFile: "\(keep)/screen-\(index).txt", atomically: true, encoding: .utf8)
      }
    }
  }
}
