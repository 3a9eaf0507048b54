/// The connection flags an operator gave salvage, named and meant as the `temporal` CLI's are.
///
/// `nil` means the flag was not given. As in the CLI, `--address` and `--namespace` given as an
/// empty string still override the file and the environment (and then fall back to the defaults),
/// while every other string flag given as an empty string counts as not given.
public struct ConnectionFlags: Equatable, Sendable {
  /// `--address`: the server's `host:port`.
  public var address: String?
  /// `--namespace`.
  public var namespace: String?
  /// `--api-key`: sent as `authorization: Bearer …`; turns TLS on unless TLS is turned off.
  public var apiKey: String?
  /// `--tls`: `true` turns TLS on; `false` (`--tls=false`) turns it off whatever else says.
  public var tls: Bool?
  /// `--tls-cert-path`: the client certificate's PEM file.
  public var tlsCertPath: String?
  /// `--tls-cert-data`: the client certificate's PEM text.
  public var tlsCertData: String?
  /// `--tls-key-path`: the client private key's PEM file.
  public var tlsKeyPath: String?
  /// `--tls-key-data`: the client private key's PEM text (a secret).
  public var tlsKeyData: String?
  /// `--tls-ca-path`: the server CA certificate's PEM file.
  public var tlsCAPath: String?
  /// `--tls-ca-data`: the server CA certificate's PEM text.
  public var tlsCAData: String?
  /// `--tls-server-name`: the TLS server name (SNI and verification) to use instead of the host.
  public var tlsServerName: String?
  /// `--tls-disable-host-verification`: skip verifying the server's certificate (`false` is the
  /// same as not given, as in the CLI).
  public var tlsDisableHostVerification: Bool?
  /// `--grpc-meta KEY=VALUE`, repeatable: request headers (their values are secrets).
  public var grpcMeta: [String] = []
  /// `--profile`: the config file profile; an error when the file lacks it.
  public var profile: String?
  /// `--config-file`: the TOML file instead of `TEMPORAL_CONFIG_FILE` or the default path.
  public var configFile: String?
  /// `--disable-config-file`: read no config file.
  public var disableConfigFile = false
  /// `--disable-config-env`: ignore `TEMPORAL_*` settings (`TEMPORAL_CONFIG_FILE` and
  /// `TEMPORAL_PROFILE` still choose the file and profile, as in the CLI).
  public var disableConfigEnv = false
  /// `--client-authority`: the `:authority` pseudo-header.
  public var clientAuthority: String?
  /// `--codec-endpoint`: the remote payload codec's URL.
  public var codecEndpoint: String?
  /// `--codec-auth`: the codec's `Authorization` header (a secret); applies only when a codec
  /// endpoint is configured somewhere.
  public var codecAuth: String?

  /// No flags given.
  public init() {}
}

extension ConnectionFlags {
  /// Whether a string flag counts as given: set and, unless `emptyCounts`, not empty.
  static func given(_ value: String?, emptyCounts: Bool = false) -> String? {
    guard let value, emptyCounts || !value.isEmpty else { return nil }
    return value
  }
}
