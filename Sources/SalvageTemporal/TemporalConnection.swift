/// How to reach Temporal: the flags salvage passes through to every `temporal` call.
///
/// Anything left `nil` is not passed, so the CLI's own configuration (profiles, `TEMPORAL_*`
/// environment) applies as it does for the operator's own commands. An API key is never a flag
/// here: it reaches the CLI only through the inherited `TEMPORAL_API_KEY`, so it never appears in
/// an argv that salvage records or prints.
public struct TemporalConnection: Equatable, Sendable {
  /// The `temporal` program: a name looked up on PATH, or a path.
  public var executable = "temporal"
  public var address: String?
  public var namespace: String?
  /// `--profile`: a profile of the CLI's config file.
  public var profile: String?
  /// `--env`: an environment of the CLI's config.
  public var environmentName: String?
  public var configFile: String?
  public var tls = false
  public var tlsCertPath: String?
  public var tlsKeyPath: String?
  public var tlsCAPath: String?
  public var tlsServerName: String?
  public var tlsDisableHostVerification = false
  /// Ignore the CLI's config file and `TEMPORAL_*` config variables (tests do).
  public var isolated = false

  public init(executable: String = "temporal", address: String? = nil, namespace: String? = nil) {
    self.executable = executable
    self.address = address
    self.namespace = namespace
  }

  /// The connection flags, appended after the subcommand.
  public var flags: [String] {
    var flags: [String] = []
    func add(_ name: String, _ value: String?) {
      if let value { flags += [name, value] }
    }
    add("--address", address)
    add("--namespace", namespace)
    add("--profile", profile)
    add("--env", environmentName)
    add("--config-file", configFile)
    if tls { flags.append("--tls") }
    add("--tls-cert-path", tlsCertPath)
    add("--tls-key-path", tlsKeyPath)
    add("--tls-ca-path", tlsCAPath)
    add("--tls-server-name", tlsServerName)
    if tlsDisableHostVerification { flags.append("--tls-disable-host-verification") }
    if isolated { flags += ["--disable-config-file", "--disable-config-env"] }
    return flags
  }
}
