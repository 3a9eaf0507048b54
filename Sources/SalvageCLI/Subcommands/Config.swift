import ArgumentParser
import Foundation
import SalvageCore
import SalvageTemporal

extension SalvageCommand {
  struct Config: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show the resolved Temporal connection, every secret redacted, and where each value came from.",
      discussion: "The profile file, then TEMPORAL_* variables, then flags, each overriding the one before. "
        + "With --check it also connects and asks the server for its version.")

    @OptionGroup var temporal: TemporalOptions

    @Flag(help: "Connect and ask the server for its version and the namespace's retention.")
    var check = false

    func run() async throws {
      let environment = LiveEnvironment.variables
      let resolved = try temporal.resolved(incidentNamespace: nil, environment)
      for line in resolved.redactedLines() { say(line) }
      guard check else { return }
      let endpoint = try temporal.endpoint(incidentNamespace: nil, environment)
      try await GRPCTemporalClient.withClient(endpoint) { client in
        let version = try await client.serverVersion()
        let namespace = try await client.describeNamespace()
        say("server       Temporal \(version), namespace \(namespace.name) keeps closed runs "
          + "\(Int(namespace.retentionSeconds / 3600)) h")
      }
    }
  }
}
