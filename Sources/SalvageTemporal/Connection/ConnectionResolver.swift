/// Resolves where and how to connect, as Temporal's CLI and SDKs do with environment
/// configuration: the TOML profile, then the `TEMPORAL_*` variables, then the flags.
///
/// Pure: the environment and the file reader are inputs, and TLS files named by `*_path`
/// settings are only named here (read them with ``TLSSettings/loadCredentials(readFile:)``).
/// The rules are sdk-go's `contrib/envconfig` and the CLI's `cliext.ClientOptionsBuilder`; see
/// ``ConfigFileLocation``, ``EnvironmentOverrides``, ``FlagOverrides`` and ``ServerAddress``.
public struct ConnectionResolver {
  /// The process environment (`TEMPORAL_*`, `HOME`, `XDG_CONFIG_HOME`).
  public let environment: [String: String]
  /// Reads a config file's text, `nil` when it does not exist.
  let readFile: (String) throws -> String?

  /// A resolver over this environment, reading config files with `readFile` (by default from disk).
  public init(
    environment: [String: String],
    readFile: @escaping (String) throws -> String? = LocalFile.textIfPresent(of:)
  ) {
    self.environment = environment
    self.readFile = readFile
  }

  /// The connection the flags, the environment and the config file describe.
  public func resolve(_ flags: ConnectionFlags) throws(ConnectionConfigurationError)
    -> ResolvedConnection
  {
    var settings = ProfileSettings()
    var connection = ResolvedConnection()
    if !flags.disableConfigFile {
      let location = ConfigFileLocation(flags: flags, environment: environment)
      connection.configFile = location.path
      connection.profile = location.profile
      var profiles: [String: ProfileSettings] = [:]
      if let path = location.path, let text = try read(path) {
        connection.configFileExists = true
        profiles = try ConfigFileParser(file: path).profiles(in: text)
      }
      if let chosen = profiles[location.profile] {
        settings = chosen
      } else if let namedBy = location.profileNamedBy {
        throw .profileNotFound(
          profile: location.profile,
          file: location.path ?? "the default config file (HOME unset or XDG_CONFIG_HOME relative)",
          fileExists: connection.configFileExists, namedBy: namedBy)
      }
      if settings.usesOAuth, ConnectionFlags.given(flags.apiKey) == nil {
        throw .oauthProfile(profile: location.profile, file: location.path ?? "")
      }
    }
    if !flags.disableConfigEnv { EnvironmentOverrides.apply(environment, to: &settings) }
    try FlagOverrides.apply(flags, to: &settings)
    try finish(settings, into: &connection)
    return connection
  }

  /// Reads the config file, turning a reader's failure into a one-line error naming it.
  private func read(_ path: String) throws(ConnectionConfigurationError) -> String? {
    do {
      return try readFile(path)
    } catch let error as ConnectionConfigurationError {
      throw error
    } catch {
      throw .unreadableConfigFile(file: path, reason: LocalFile.reason(error))
    }
  }

  /// Turns the layered settings into the connection, as sdk-go's `ToClientOptions` does: empty
  /// values count as unset, the defaults fill in, and any contradiction is refused.
  private func finish(
    _ settings: ProfileSettings, into connection: inout ResolvedConnection
  ) throws(ConnectionConfigurationError) {
    func nonEmpty(_ value: Sourced<String>?) -> Sourced<String>? {
      value?.value.isEmpty == false ? value : nil
    }
    if let namespace = nonEmpty(settings.namespace) {
      connection.namespace = namespace.value
      connection.sources[.namespace] = namespace.source
    }
    let given = nonEmpty(settings.address)
    let text = (given?.value ?? "localhost:7233").replacing(
      "${namespace}", with: connection.namespace)
    do {
      let address = try ServerAddress.parse(text)
      connection.host = address.host
      connection.port = address.port
      connection.sources[.address] = given?.source ?? .default
    } catch {
      throw .invalidAddress(address: text, source: given?.source ?? .default, reason: error.reason)
    }
    let apiKey = nonEmpty(settings.apiKey)
    if let apiKey {
      connection.apiKey = Secret(apiKey.value)
      connection.sources[.apiKey] = apiKey.source
    }
    if let section = settings.tls {
      if let disabled = section.disabled, disabled.value {
        connection.sources[.tls] = disabled.source
      } else {
        connection.tls = try TLSSettings(section, sources: &connection.sources)
        connection.sources[.tls] = section.disabled?.source ?? section.origin
      }
    } else if let apiKey {
      connection.tls = TLSSettings()
      connection.sources[.tls] = apiKey.source
    }
    for (key, value) in settings.grpcMeta {
      connection.grpcMeta[key] = Secret(value.value)
      connection.sources[.grpcMeta(key)] = value.source
    }
    if let authority = nonEmpty(settings.authority) {
      connection.authority = authority.value
      connection.sources[.authority] = authority.source
    }
    if let endpoint = nonEmpty(settings.codec?.endpoint) {
      connection.codecEndpoint = endpoint.value
      connection.sources[.codecEndpoint] = endpoint.source
    }
    if let auth = nonEmpty(settings.codec?.auth) {
      connection.codecAuth = Secret(auth.value)
      connection.sources[.codecAuth] = auth.source
    }
    if let notifyURL = nonEmpty(settings.notifyURL) {
      connection.notifyURL = Secret(notifyURL.value)
    }
    let held = Set(connection.secrets)
    connection.overriddenSecrets = settings.secrets.filter { !held.contains($0) }
  }
}
