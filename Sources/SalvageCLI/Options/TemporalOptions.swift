import ArgumentParser
import SalvageCore
import SalvageTemporal

/// How to reach Temporal, resolved as the `temporal` CLI and the SDKs resolve it: the profile file
/// (`TEMPORAL_CONFIG_FILE`, else the user config dir), then `TEMPORAL_*` variables, then these
/// flags, each overriding the one before. The namespace is the incident's unless `--namespace`.
struct TemporalOptions: ParsableArguments {
  @Option(
    help: "Temporal server address, host:port (else the profile, TEMPORAL_ADDRESS, localhost:7233)."
  )
  var address: String?

  @Option(help: "Namespace (default: the incident's namespace).")
  var namespace: String?

  @Option(
    help: "API key, sent as bearer authorization (prefer TEMPORAL_API_KEY: a flag shows in ps).")
  var apiKey: String?

  @Option(help: "Use TLS (true or false; default: on with an API key or any TLS setting).")
  var tls: Bool?

  @Option(help: "TLS client certificate path.")
  var tlsCertPath: String?
  @Option(help: "TLS client certificate, inline PEM.")
  var tlsCertData: String?
  @Option(help: "TLS client key path (the key is never recorded).")
  var tlsKeyPath: String?
  @Option(help: "TLS client key, inline PEM (never recorded).")
  var tlsKeyData: String?
  @Option(help: "TLS server CA certificate path.")
  var tlsCaPath: String?
  @Option(help: "TLS server CA certificate, inline PEM.")
  var tlsCaData: String?
  @Option(help: "TLS server name override.")
  var tlsServerName: String?
  @Flag(help: "Do not check the server certificate's host name.")
  var tlsDisableHostVerification = false

  @Option(help: "A gRPC header on every call, KEY=VALUE (repeatable; values are secret).")
  var grpcMeta: [String] = []

  @Option(help: "Profile of the config file (else TEMPORAL_PROFILE, else default).")
  var profile: String?

  @Option(
    help:
      "The config file (else TEMPORAL_CONFIG_FILE, else the user config dir's temporalio/temporal.toml)."
  )
  var configFile: String?

  @Flag(help: "Ignore the config file.")
  var disableConfigFile = false

  @Flag(help: "Ignore the TEMPORAL_* variables.")
  var disableConfigEnv = false

  @Option(help: "The :authority to send instead of the address.")
  var clientAuthority: String?

  @Option(
    help: ArgumentHelp(
      "salvage's own per-run calls a second, at most (checks, closed resets, terminates, starts; "
        + "default 150, about 50 closed runs a second). Fewer go while the server answers slowly "
        + "or its rate limit refuses them."))
  var rps: Double?

  @Option(
    help: ArgumentHelp(
      "Seconds after a change whose answer was lost before salvage concludes the server never "
        + "acted on it (default 90: the 60 s change deadline and a margin).",
      valueName: "seconds"))
  var lostAnswerWait: Double?

  /// The flags as the resolver takes them.
  func flags(incidentNamespace: String?) -> ConnectionFlags {
    var flags = ConnectionFlags()
    flags.address = address
    flags.namespace = namespace ?? incidentNamespace
    flags.apiKey = apiKey
    flags.tls = tls
    flags.tlsCertPath = tlsCertPath
    flags.tlsCertData = tlsCertData
    flags.tlsKeyPath = tlsKeyPath
    flags.tlsKeyData = tlsKeyData
    flags.tlsCAPath = tlsCaPath
    flags.tlsCAData = tlsCaData
    flags.tlsServerName = tlsServerName
    flags.tlsDisableHostVerification = tlsDisableHostVerification ? true : nil
    flags.grpcMeta = grpcMeta
    flags.profile = profile
    flags.configFile = configFile
    flags.disableConfigFile = disableConfigFile
    flags.disableConfigEnv = disableConfigEnv
    flags.clientAuthority = clientAuthority
    return flags
  }

  /// The resolved endpoint for an incident in `incidentNamespace`: bad configuration (a named
  /// profile that does not exist, a malformed file, an unreadable key, an address without a port)
  /// is a one-line error, exit 64.
  func endpoint(incidentNamespace: String?, _ environment: [String: String]) throws -> GRPCEndpoint
  {
    do {
      let resolved = try ConnectionResolver(environment: environment).resolve(
        flags(incidentNamespace: incidentNamespace))
      _ = try TemporalNames.namespace(resolved.namespace)
      return GRPCEndpoint(resolved, credentials: try resolved.tls?.loadCredentials())
    } catch {
      throw CommandError(status: .usage, description: String(describing: error))
    }
  }

  /// The resolved connection, for `salvage config`.
  func resolved(incidentNamespace: String?, _ environment: [String: String]) throws
    -> ResolvedConnection
  {
    do {
      return try ConnectionResolver(environment: environment).resolve(
        flags(incidentNamespace: incidentNamespace))
    } catch {
      throw CommandError(status: .usage, description: error.description)
    }
  }

  func validate() throws {
    if let rps, !(rps.isFinite && rps > 0 && rps <= 10_000) {
      throw ValidationError("--rps must be a number of calls a second above 0 and at most 10000")
    }
    if let lostAnswerWait, !(lostAnswerWait.isFinite && (0...3_600).contains(lostAnswerWait)) {
      throw ValidationError("--lost-answer-wait must be a number of seconds from 0 to 3600")
    }
    do {
      if let namespace { _ = try TemporalNames.namespace(namespace) }
      let settings = [
        ("--address", address), ("--tls-server-name", tlsServerName), ("--profile", profile),
        ("--client-authority", clientAuthority), ("--config-file", configFile),
        ("--tls-cert-path", tlsCertPath),
        ("--tls-key-path", tlsKeyPath), ("--tls-ca-path", tlsCaPath),
      ]
      for case (let option, let value?) in settings {
        _ = try TemporalNames.setting(value, what: option)
      }
    } catch {
      throw ValidationError(String(describing: error))
    }
    // Secrets: checked without being shown.
    for (option, value) in [("--api-key", apiKey)] + grpcMeta.map({ ("--grpc-meta", Optional($0)) })
    {
      guard let value else { continue }
      if value.isEmpty
        || value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        || value.first?.isWhitespace == true || value.last?.isWhitespace == true
      {
        throw ValidationError(
          "\(option) is malformed: empty, a control character, or white space at an end")
      }
    }
  }
}
