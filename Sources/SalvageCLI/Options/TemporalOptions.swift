import ArgumentParser
import SalvageCore
import SalvageTemporal

/// How to reach Temporal: passed through to every `temporal` call. Unset flags are not passed, so
/// the CLI's own configuration (profiles, `TEMPORAL_*` variables, `TEMPORAL_API_KEY`) applies.
struct TemporalOptions: ParsableArguments {
  @Option(help: "The temporal CLI to run (env SALVAGE_TEMPORAL; default: temporal on PATH).")
  var temporal: String?

  @Option(help: "Temporal server address (else the CLI's configuration).")
  var address: String?

  @Option(help: "Namespace (default: the incident's namespace).")
  var namespace: String?

  @Option(help: "Profile of the temporal CLI's config file.")
  var profile: String?

  @Option(name: .customLong("temporal-env"), help: "Environment of the temporal CLI's config (--env).")
  var environmentName: String?

  @Option(help: "The temporal CLI's config file.")
  var configFile: String?

  @Flag(help: "Use TLS.")
  var tls = false

  @Option(help: "TLS client certificate path.")
  var tlsCertPath: String?

  @Option(help: "TLS client key path (the key itself is never recorded).")
  var tlsKeyPath: String?

  @Option(help: "TLS server CA certificate path.")
  var tlsCaPath: String?

  @Option(help: "TLS server name override.")
  var tlsServerName: String?

  @Flag(help: "Ignore the temporal CLI's config file and TEMPORAL_* config variables.")
  var isolated = false

  /// The connection for an incident in `namespace`.
  func connection(namespace incidentNamespace: String, _ environment: [String: String]) -> TemporalConnection {
    var connection = TemporalConnection(
      executable: temporal ?? environment["SALVAGE_TEMPORAL"].flatMap { $0.isEmpty ? nil : $0 } ?? "temporal",
      address: address, namespace: namespace ?? incidentNamespace)
    connection.profile = profile
    connection.environmentName = environmentName
    connection.configFile = configFile
    connection.tls = tls
    connection.tlsCertPath = tlsCertPath
    connection.tlsKeyPath = tlsKeyPath
    connection.tlsCAPath = tlsCaPath
    connection.tlsServerName = tlsServerName
    connection.isolated = isolated
    return connection
  }
}
