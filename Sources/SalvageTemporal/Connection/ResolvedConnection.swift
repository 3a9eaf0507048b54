/// Where and how to connect to Temporal, resolved from the config file, the `TEMPORAL_*`
/// variables and the flags exactly as the CLI does, with where each value came from.
///
/// Secrets are ``Secret`` values, so printing, interpolating or dumping a resolved connection
/// never shows one; ``redactedLines()`` is what `salvage config` prints.
public struct ResolvedConnection: Equatable, Sendable {
  /// The host name or IP address to dial (an IPv6 address without brackets).
  public var host: String
  /// The TCP port to dial.
  public var port: Int
  /// The Namespace every request names.
  public var namespace: String
  /// The API key, sent as `authorization: Bearer …`.
  public var apiKey: Secret?
  /// The TLS settings, or `nil` for plaintext.
  public var tls: TLSSettings?
  /// Request headers by lower-case name; their values are secrets.
  public var grpcMeta: [String: Secret]
  /// The `:authority` pseudo-header. sdk-go applies it only to plaintext connections; with TLS the
  /// server name comes from ``TLSSettings/serverName``.
  public var authority: String?
  /// The remote payload codec's endpoint (the CLI's, for decoding payloads it shows).
  public var codecEndpoint: String?
  /// The codec's `Authorization` header value.
  public var codecAuth: Secret?
  /// The profile's `salvage.notify_url`: where run notifications go unless `--notify` or
  /// `SALVAGE_NOTIFY_URL` says otherwise. A secret: a webhook's address carries its token.
  public var notifyURL: Secret?
  /// The config file consulted, found or not; `nil` with `--disable-config-file` or when no
  /// default path exists (no `HOME`).
  public var configFile: String?
  /// Whether ``configFile`` existed.
  public var configFileExists: Bool
  /// The profile used; `nil` with `--disable-config-file`.
  public var profile: String?
  /// Where each setting came from. Always has ``Field/address``,
  /// ``Field/namespace`` and ``Field/tls``; other keys only when set.
  public var sources: [Field: Source]
  /// Secrets seen while resolving that the settings above no longer hold (an overridden file key).
  var overriddenSecrets: [String]

  /// A plaintext connection to `host:port` in `namespace`, from defaults; set the rest as needed.
  public init(host: String = "localhost", port: Int = 7233, namespace: String = "default") {
    self.host = host
    self.port = port
    self.namespace = namespace
    apiKey = nil
    tls = nil
    grpcMeta = [:]
    authority = nil
    codecEndpoint = nil
    codecAuth = nil
    notifyURL = nil
    configFile = nil
    configFileExists = false
    profile = nil
    sources = [.address: .default, .namespace: .default, .tls: .default]
    overriddenSecrets = []
  }

  /// `host:port`, with brackets around an IPv6 host.
  public var address: String { ServerAddress(host: host, port: port).text }

  /// Every secret value from any source, non-empty and without repeats, for scrubbing output: the
  /// API key, the client key data, the codec auth, every gRPC meta value, and any secret the file
  /// or the environment held that a later layer overrode (OAuth tokens of a profile included).
  public var secrets: [String] {
    var values: [String] = []
    if let apiKey { values.append(apiKey.revealed) }
    if case .data(let key)? = tls?.clientKey { values.append(key) }
    if let codecAuth { values.append(codecAuth.revealed) }
    if let notifyURL { values.append(notifyURL.revealed) }
    values += grpcMeta.sorted { $0.key < $1.key }.map(\.value.revealed)
    values += overriddenSecrets
    var seen = Set<String>()
    return values.filter { !$0.isEmpty && seen.insert($0).inserted }
  }

  /// The metadata every request carries, as sdk-go sends it: the gRPC meta headers (sorted by
  /// name), then `authorization: Bearer <key>` unless a gRPC meta header already sets
  /// `authorization`, then `temporal-namespace` unless one already sets that.
  public func headers() -> [(String, String)] {
    var headers = grpcMeta.sorted { $0.key < $1.key }.map { ($0.key, $0.value.revealed) }
    if let apiKey, !apiKey.revealed.isEmpty, grpcMeta["authorization"] == nil {
      headers.append(("authorization", "Bearer " + apiKey.revealed))
    }
    if grpcMeta["temporal-namespace"] == nil { headers.append(("temporal-namespace", namespace)) }
    return headers
  }
}
