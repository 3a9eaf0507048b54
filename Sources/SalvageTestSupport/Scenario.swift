public import Foundation
public import SalvageFakes

/// A real bad rollout on a real Temporal dev server, for integration tests.
///
/// Drives `tools/scenario.sh` (see `tools/scenario/harness.py`). The server and workers are tied
/// to this test process by the harness's watchdog, so they are torn down even when the test
/// runner is killed; ``down()`` (also called on deinit) starts tearing them down at once, on a
/// thread of its own, without waiting.
public final class Scenario: @unchecked Sendable {
  /// Why the harness failed, with the tail of its output.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String
  }

  /// The repository root, found from this file.
  public static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  public let directory: TemporaryDirectory
  /// `KEY=VALUE` lines of `scenario.sh env`, without the `SCENARIO_` prefix, lowercased.
  public private(set) var settings: [String: String] = [:]
  private let lock = NSLock()
  private var isDown = false

  /// The server's loopback address, `127.0.0.1:PORT`.
  public var address: String { settings["address", default: ""] }
  /// The pinned `temporal` CLI in the project's `.venv`.
  public var temporal: String { settings["temporal", default: "temporal"] }
  public var deployment: String { settings["deployment", default: ""] }
  public var taskQueue: String { settings["task_queue", default: ""] }
  /// The Web UI's address, `http://127.0.0.1:PORT`, when started with `ui`.
  public var uiAddress: String? { settings["ui_address"] }

  /// Starts a server with workers for `builds`, making `current` the Current Version;
  /// `dynamicConfig` adds `KEY=VALUE` settings to the lab's (a lower namespace rate limit, say);
  /// `ui` serves the Web UI too.
  public init(
    deployment: String = "orders", builds: [String] = ["good", "bad"], current: String = "good",
    dynamicConfig: [String] = [], ui: Bool = false
  ) async throws {
    directory = try TemporaryDirectory("salvage-scenario")
    do {
      _ = try await harness(
        [
          "up", "--dir", directory.url.path, "--deployment", deployment,
          "--builds", builds.joined(separator: ","), "--current", current,
          "--owner-pid", String(ProcessInfo.processInfo.processIdentifier),
        ] + dynamicConfig.flatMap { ["--dynamic-config", $0] } + (ui ? ["--ui"] : []))
      try await refreshSettings()
    } catch {
      down()
      throw error
    }
  }

  deinit { down() }

  /// Rolls out the bad build and starts Workflows that end up stuck, failed, timed out or completed
  /// on it; returns once visibility shows all of them in those states.
  public func badRollout(
    stuck: Int = 0, stuckTypes: [String] = ["OrderWorkflow"], failed: Int = 0, timedOut: Int = 0,
    completed: Int = 0, mode: String = "current"
  ) async throws {
    _ = try await harness([
      "bad-rollout", "--dir", directory.url.path, "--mode", mode, "--stuck", String(stuck),
      "--stuck-types", stuckTypes.joined(separator: ","), "--failed", String(failed),
      "--timed-out", String(timedOut), "--completed", String(completed),
    ])
  }

  /// Starts a worker for `build` (good, bad or fixed), registering `buildID` (default: its name).
  public func startWorker(_ build: String, buildID: String? = nil) async throws {
    _ = try await harness(
      ["worker", "--dir", directory.url.path, "--build", build]
        + (buildID.map { ["--build-id", $0] } ?? []))
    try await refreshSettings()
  }

  /// A controller, as `identity`, takes the deployment: it sets its manager identity to itself.
  public func manage(as identity: String) async throws {
    _ = try await harness(["manage", "--dir", directory.url.path, "--identity", identity])
  }

  /// Stops the worker of `build`.
  public func stopWorker(_ build: String) async throws {
    _ = try await harness(["stop-worker", "--dir", directory.url.path, "--build", build])
  }

  /// Starts `count` Workflows of `type` with ids `prefix-0…`, optionally with a Bool search
  /// attribute set (`("Restartable", true)`); returns the ids.
  @discardableResult
  public func start(type: String, count: Int, prefix: String, attribute: (String, Bool)? = nil)
    async throws -> [String]
  {
    try await harness(
      [
        "start", "--dir", directory.url.path, "--type", type, "--count", String(count), "--prefix",
        prefix,
      ]
        + (attribute.map { ["--bool-attribute", "\($0.0)=\($0.1)"] } ?? [])
    ).split(separator: "\n").map(String.init)
  }

  /// Creates a Bool custom search attribute in the namespace.
  public func createBoolAttribute(_ name: String) async throws {
    _ = try await harness(["search-attribute", "--dir", directory.url.path, "--name", name])
  }

  /// Rolls out `build` as Current (or as a 100 % ramp) without starting anything.
  public func rollout(_ build: String = "bad", mode: String = "current") async throws {
    _ = try await harness([
      "rollout", "--dir", directory.url.path, "--build", build, "--mode", mode,
    ])
  }

  /// Stops every process of the scenario (idempotent).
  public func down() {
    let first = lock.withLock {
      defer { isDown = true }
      return !isDown
    }
    guard first else { return }
    forgetClient()
    // On a thread of its own, not waited for: down() runs from deinit and defer, often on one of
    // Swift concurrency's threads, which it must not block. The harness's watchdog stops anything
    // left should the test process end first.
    let directory = directory
    Thread {
      _ = try? Self.harnessBlocking(["down", "--dir", directory.url.path])
      directory.remove()
    }.start()
  }

  private func refreshSettings() async throws {
    var values: [String: String] = [:]
    for line in try await harness(["env", "--dir", directory.url.path]).split(separator: "\n") {
      guard let equals = line.firstIndex(of: "="), line.hasPrefix("SCENARIO_") else { continue }
      values[line[line.index(line.startIndex, offsetBy: 9)..<equals].lowercased()] =
        String(line[line.index(after: equals)...])
    }
    settings = values
  }

  /// Runs `tools/scenario.sh` with arguments and returns its stdout.
  private func harness(_ arguments: [String]) async throws -> String {
    try Self.harnessOutput(
      arguments,
      try await runChildProcess(
        URL(fileURLWithPath: "/usr/bin/env"),
        ["bash", Self.root.appendingPathComponent("tools/scenario.sh").path] + arguments))
  }

  /// ``harness(_:)`` blocking the calling thread, for ``down()``'s thread of its own.
  private static func harnessBlocking(_ arguments: [String]) throws -> String {
    try harnessOutput(
      arguments,
      try runChildProcessBlocking(
        URL(fileURLWithPath: "/usr/bin/env"),
        ["bash", root.appendingPathComponent("tools/scenario.sh").path] + arguments))
  }

  private static func harnessOutput(_ arguments: [String], _ result: ChildProcessResult) throws
    -> String
  {
    guard result.status == 0 else {
      let tail = result.stderr.split(separator: "\n").suffix(3)
      throw Failure(
        description: "scenario \(arguments.first ?? "") failed: \(tail.joined(separator: " | "))")
    }
    return result.stdout
  }
}
