import ArgumentParser
import Foundation
import SalvageCore
import SalvageTemporal

extension SalvageCommand {
  struct Config: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract:
        "Show the resolved Temporal connection, every secret redacted, and where each value came from.",
      discussion:
        "The profile file, then TEMPORAL_* variables, then flags, each overriding the one before. "
        + "With --check it also connects and asks the server for its version.")

    @OptionGroup var temporal: TemporalOptions

    @Flag(help: "Connect and ask the server for its version and the namespace's retention.")
    var check = false

    @OptionGroup var outputOptions: OutputOptions<ConfigOutput>

    /// What `--output` prints.
    enum ConfigOutput: OutputHelp {
      static let help: ArgumentHelp = "text or json (every secret redacted as in text)."
    }

    func run() async throws {
      let environment = LiveEnvironment.variables
      let resolved = try temporal.resolved(incidentNamespace: nil, environment)
      var view = ConfigView(resolved)
      if output == .text { for line in resolved.redactedLines() { say(line) } }
      if check {
        let endpoint = try temporal.endpoint(incidentNamespace: nil, environment)
        let server = try await GRPCTemporalClient.withClient(endpoint) { client in
          let version = try await client.serverVersion()
          let namespace = try await client.describeNamespace()
          return ConfigView.Server(
            version: version, namespace: namespace.name,
            retentionHours: Int(namespace.retentionSeconds / 3600))
        }
        if output == .text {
          say(
            "server       Temporal \(server.version), namespace \(server.namespace) keeps closed runs "
              + "\(server.retentionHours) h")
        }
        view.server = server
      }
      if output == .json { say(try JSONOutput.render(view)) }
    }
  }
}
