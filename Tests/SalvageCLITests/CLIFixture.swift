import Foundation
import SalvageFakes
import Testing

/// A temporary journal and the environment that points `salvage` at it.
final class CLIFixture: Sendable {
  let directory: TemporaryDirectory
  let journal: String

  init() throws {
    directory = try TemporaryDirectory("salvage-cli")
    journal = directory.path("incident.sqlite")
  }

  deinit { directory.remove() }

  var environment: [String: String] {
    ["SALVAGE_JOURNAL": journal, "SALVAGE_OPERATOR": "alice"]
  }

  /// Runs `salvage` against this fixture's journal.
  @discardableResult
  func salvage(_ arguments: String..., environment extra: [String: String] = [:]) async throws
    -> SalvageProcess.Result
  {
    try await SalvageProcess.run(arguments, environment: environment.merging(extra) { $1 })
  }

  /// Opens the standard incident `inc-1` (`--force` and such in `extra`).
  func openIncident(_ id: String = "inc-1", _ extra: String...) async throws {
    let result = try await SalvageProcess.run(
      [
        "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident",
        id,
      ] + extra,
      environment: environment)
    #expect(result.status == 0, "open failed: \(result.stderr)")
  }

  /// The raw events, for "nothing already journaled was touched" checks.
  func rawLog() async throws -> String {
    try await salvage("log", "--all", "--output", "jsonl").stdout
  }
}
