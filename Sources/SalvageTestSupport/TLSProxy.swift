internal import Foundation
public import SalvageFakes

/// A TLS-terminating gRPC proxy (nginx) in front of a Temporal server, for integration tests of
/// TLS, mTLS and API keys.
///
/// Drives `tools/tls-proxy` (which installs nginx and openssl when missing). It listens on two
/// loopback ports, both TLS with a server certificate for `localhost` and `127.0.0.1` signed by a
/// throwaway CA: ``mtlsAddress`` requires a client certificate signed by that CA, ``keyAddress``
/// requires `authorization: Bearer` ``apiKey``. nginx is tied to this test process by the script's
/// watchdog, so it stops even when the test runner is killed; ``down()`` (also on deinit) starts
/// stopping it at once, on a thread of its own, without waiting.
public final class TLSProxy: @unchecked Sendable {
  public let directory: TemporaryDirectory
  /// `KEY=VALUE` lines of `tls-proxy up`, without the `TLS_PROXY_` prefix, lowercased.
  public let settings: [String: String]
  private let lock = NSLock()
  private var isDown = false

  /// `127.0.0.1:PORT` of the server block that requires a client certificate.
  public var mtlsAddress: String { settings["mtls_address", default: ""] }
  /// `127.0.0.1:PORT` of the server block that requires the API key.
  public var keyAddress: String { settings["key_address", default: ""] }
  /// The CA that signed the server and client certificates (PEM file).
  public var caPath: String { settings["ca", default: ""] }
  /// The client certificate (PEM file) the mTLS block accepts.
  public var clientCertificatePath: String { settings["client_cert", default: ""] }
  /// The client certificate's private key (PEM file).
  public var clientKeyPath: String { settings["client_key", default: ""] }
  /// The DNS name on the server certificate (its other name is the IP address 127.0.0.1).
  public var serverName: String { settings["server_name", default: "localhost"] }
  /// The API key the key block accepts, as `authorization: Bearer <key>`.
  public var apiKey: String { settings["api_key", default: ""] }

  /// Starts nginx in front of `upstream` (`host:port`, a plaintext gRPC server).
  public init(upstream: String) async throws {
    directory = try TemporaryDirectory("salvage-tls-proxy")
    do {
      let output = try await Self.script([
        "up", "--dir", directory.url.path, "--upstream", upstream,
        "--owner-pid", String(ProcessInfo.processInfo.processIdentifier),
      ])
      var values: [String: String] = [:]
      for line in output.split(separator: "\n") {
        guard line.hasPrefix("TLS_PROXY_"), let equals = line.firstIndex(of: "=") else { continue }
        values[line[line.index(line.startIndex, offsetBy: 10)..<equals].lowercased()] =
          String(line[line.index(after: equals)...])
      }
      settings = values
    } catch {
      _ = try? await Self.script(["down", "--dir", directory.url.path])
      directory.remove()
      throw error
    }
  }

  deinit { down() }

  /// The port of `address` (`127.0.0.1:PORT`).
  public static func port(of address: String) -> Int {
    Int(address.split(separator: ":").last ?? "") ?? 0
  }

  /// The proxy's error log, for a failing test's message.
  public var errorLog: String {
    (try? String(contentsOfFile: directory.path("error.log"), encoding: .utf8)) ?? ""
  }

  /// Stops nginx and its watchdog (idempotent).
  public func down() {
    let first = lock.withLock {
      defer { isDown = true }
      return !isDown
    }
    guard first else { return }
    // On a thread of its own, not waited for: down() runs from deinit and defer, often on one of
    // Swift concurrency's threads, which it must not block. The script's watchdog stops nginx
    // should the test process end first.
    let directory = directory
    Thread {
      _ = try? Self.output(
        ["down"],
        runChildProcessBlocking(
          URL(fileURLWithPath: "/usr/bin/env"),
          ["bash", Self.scriptPath, "down", "--dir", directory.url.path]))
      directory.remove()
    }.start()
  }

  /// Runs `tools/tls-proxy` with arguments and returns its stdout.
  private static func script(_ arguments: [String]) async throws -> String {
    try output(
      arguments,
      await runChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["bash", scriptPath] + arguments))
  }

  private static var scriptPath: String {
    Scenario.root.appendingPathComponent("tools/tls-proxy").path
  }

  private static func output(_ arguments: [String], _ result: ChildProcessResult) throws -> String {
    guard result.status == 0 else {
      let tail = result.stderr.split(separator: "\n").suffix(3)
      throw Scenario.Failure(
        description: "tls-proxy \(arguments.first ?? "") failed: \(tail.joined(separator: " | "))")
    }
    return result.stdout
  }
}

/// One dev server with a bad rollout (2 stuck `OrderWorkflow`s on the bad build, the bad build
/// Current) and one proxy in front of it, shared by the TLS suites of every test target (they run
/// in one test process), so TLS costs the whole run one server and one nginx.
public final class TLSLab: Sendable {
  public let scenario: Scenario
  public let proxy: TLSProxy
  /// How many executions are stuck on the bad build.
  public static let stuck = 2

  /// The shared lab, started by the first suite that asks; the others wait for it.
  ///
  /// Starting it takes seconds (processes, waits); the child processes run on threads of their
  /// own (``runChildProcess(_:_:environment:)``), and the suites await the one task that starts
  /// it, so neither blocks one of the few threads Swift concurrency has (two on a 2-core machine).
  public static func shared() async throws -> TLSLab {
    try await started.value
  }

  private static let started = Task { try await TLSLab() }

  private init() async throws {
    scenario = try await Scenario()
    try await scenario.badRollout(stuck: Self.stuck)
    proxy = try await TLSProxy(upstream: scenario.address)
  }
}
