/// A setting's value and where it came from.
struct Sourced<Value: Equatable & Sendable>: Equatable, Sendable {
  var value: Value
  var source: ResolvedConnection.Source
}

/// One profile's settings as the layers (file, then environment, then flags) leave them: the
/// shape of sdk-go's `envconfig.ClientConfigProfile`, with a source on every value.
///
/// Empty strings are kept, because an empty variable still overrides the file; they count as
/// unset only when the connection is finally resolved, as in sdk-go.
struct ProfileSettings: Equatable, Sendable {
  var address: Sourced<String>?
  var namespace: Sourced<String>?
  var apiKey: Sourced<String>?
  var authority: Sourced<String>?
  /// `nil` when nothing mentioned TLS; present (even empty) turns TLS on unless it says disabled.
  var tls: TLS?
  var codec: Codec?
  /// Keyed by the normalised header name.
  var grpcMeta: [String: Sourced<String>] = [:]
  /// salvage's own `[profile.NAME.salvage] notify_url`: the run notifications' webhook (a secret;
  /// only a file sets it here: `--notify` and `SALVAGE_NOTIFY_URL` are the CLI's).
  var notifyURL: Sourced<String>?
  /// Whether the profile has an `oauth` table (only a file can say so).
  var usesOAuth = false
  /// Every secret value any layer set, overridden or not, in the order seen: for scrubbing.
  var secrets: [String] = []

  /// The `tls` section.
  struct TLS: Equatable, Sendable {
    /// What created the section (a `[tls]` table, a `TEMPORAL_TLS_*` variable, a flag).
    var origin: ResolvedConnection.Source
    var disabled: Sourced<Bool>?
    var clientCertPath: Sourced<String>?
    var clientCertData: Sourced<String>?
    var clientKeyPath: Sourced<String>?
    var clientKeyData: Sourced<String>?
    var serverCACertPath: Sourced<String>?
    var serverCACertData: Sourced<String>?
    var serverName: Sourced<String>?
    var disableHostVerification: Sourced<Bool>?

    init(origin: ResolvedConnection.Source) { self.origin = origin }
  }

  /// The `codec` section.
  struct Codec: Equatable, Sendable {
    var origin: ResolvedConnection.Source
    var endpoint: Sourced<String>?
    var auth: Sourced<String>?
  }

  /// Records a secret for ``secrets`` (empty values are not secrets).
  mutating func noteSecret(_ value: String) {
    if !value.isEmpty, !secrets.contains(value) { secrets.append(value) }
  }

  /// Sets a TLS string item, creating the section if needed (every TLS setting does, in sdk-go).
  mutating func setTLS(
    _ item: WritableKeyPath<TLS, Sourced<String>?>, _ value: String,
    from source: ResolvedConnection.Source
  ) {
    if tls == nil { tls = TLS(origin: source) }
    tls?[keyPath: item] = Sourced(value: value, source: source)
    if item == \TLS.clientKeyData { noteSecret(value) }
  }

  /// Sets a TLS boolean item, creating the section if needed.
  mutating func setTLS(
    _ item: WritableKeyPath<TLS, Sourced<Bool>?>, _ value: Bool,
    from source: ResolvedConnection.Source
  ) {
    if tls == nil { tls = TLS(origin: source) }
    tls?[keyPath: item] = Sourced(value: value, source: source)
  }

  /// Sets a codec item, creating the section if needed.
  mutating func setCodec(
    _ item: WritableKeyPath<Codec, Sourced<String>?>, _ value: String,
    from source: ResolvedConnection.Source
  ) {
    if codec == nil { codec = Codec(origin: source) }
    codec?[keyPath: item] = Sourced(value: value, source: source)
    if item == \Codec.auth { noteSecret(value) }
  }

  /// Sets the API key.
  mutating func setAPIKey(_ value: String, from source: ResolvedConnection.Source) {
    apiKey = Sourced(value: value, source: source)
    noteSecret(value)
  }

  /// Sets one header of the gRPC metadata.
  mutating func setGRPCMeta(_ key: String, _ value: String, from source: ResolvedConnection.Source)
  {
    grpcMeta[key] = Sourced(value: value, source: source)
    noteSecret(value)
  }

  /// sdk-go's `NormalizeGRPCMetaKey`: lower-cased, `_` turned into `-`.
  static func normalizedMetaKey(_ key: String) -> String {
    String(key.map { $0 == "_" ? "-" : $0 }).lowercased()
  }
}
