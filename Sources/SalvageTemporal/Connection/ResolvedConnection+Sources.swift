import SalvageCore

extension ResolvedConnection {
  /// Where a resolved connection setting came from.
  public enum Source: Hashable, Sendable, CustomStringConvertible {
    /// Nobody set it: the CLI's default applies (`localhost:7233`, namespace `default`, TLS off).
    case `default`
    /// A profile of a TOML config file.
    case file(path: String, profile: String)
    /// A `TEMPORAL_*` environment variable, by name.
    case environment(String)
    /// A command-line flag, by name (`--address`).
    case flag(String)

    /// `default`, `TEMPORAL_ADDRESS`, `--address`, or `profile 'prod' in /path/temporal.toml`.
    public var description: String {
      switch self {
      case .default: "default"
      case .file(let path, let profile): "profile \(Quoted(profile)) in \(path)"
      case .environment(let name): name
      case .flag(let name): name
      }
    }
  }

  /// A resolved connection setting, the key of ``ResolvedConnection/sources``.
  public enum Field: Hashable, Sendable, CustomStringConvertible {
    /// The server address (`host:port`).
    case address
    /// The Namespace.
    case namespace
    /// The API key.
    case apiKey
    /// Whether TLS is on; its source is whatever decided that (for TLS implied by an API key, the
    /// API key's source).
    case tls
    /// The mTLS client certificate.
    case clientCertificate
    /// The mTLS client private key.
    case clientKey
    /// The server CA certificate.
    case serverCA
    /// The TLS server name.
    case serverName
    /// Whether the server certificate is verified.
    case disableHostVerification
    /// The `:authority` pseudo-header.
    case authority
    /// The remote codec endpoint.
    case codecEndpoint
    /// The remote codec's auth header.
    case codecAuth
    /// One request header of the gRPC metadata, by its normalised key.
    case grpcMeta(String)

    /// The label `salvage config` shows: `address`, `tls client key`, `grpc meta x-tenant`.
    public var description: String {
      switch self {
      case .address: "address"
      case .namespace: "namespace"
      case .apiKey: "api key"
      case .tls: "tls"
      case .clientCertificate: "tls client cert"
      case .clientKey: "tls client key"
      case .serverCA: "tls server ca"
      case .serverName: "tls server name"
      case .disableHostVerification: "tls host check"
      case .authority: "authority"
      case .codecEndpoint: "codec endpoint"
      case .codecAuth: "codec auth"
      case .grpcMeta(let key): "grpc meta \(key)"
      }
    }
  }
}
