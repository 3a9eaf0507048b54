/// Applies the `TEMPORAL_*` variables over a profile, as sdk-go's `ApplyEnvVars` and then the
/// CLI's legacy TLS variables do.
///
/// A variable that is set overrides the file even when it is empty (an empty `TEMPORAL_API_KEY`
/// removes the file's key). `TEMPORAL_TLS` and `TEMPORAL_TLS_DISABLE_HOST_VERIFICATION` take
/// `1`/`0`/`true`/`false` in any case; anything else is ignored, as in sdk-go. A
/// `TEMPORAL_GRPC_META_*` variable sets the header named by the rest of its name, lower-cased
/// with `_` as `-`; set to the empty string it removes that header.
enum EnvironmentOverrides {
  /// The TLS string variables and where they go.
  static var tlsStrings: [(String, WritableKeyPath<ProfileSettings.TLS, Sourced<String>?>)] {
    [
      ("TEMPORAL_TLS_CLIENT_CERT_PATH", \.clientCertPath),
      ("TEMPORAL_TLS_CLIENT_CERT_DATA", \.clientCertData),
      ("TEMPORAL_TLS_CLIENT_KEY_PATH", \.clientKeyPath),
      ("TEMPORAL_TLS_CLIENT_KEY_DATA", \.clientKeyData),
      ("TEMPORAL_TLS_SERVER_CA_CERT_PATH", \.serverCACertPath),
      ("TEMPORAL_TLS_SERVER_CA_CERT_DATA", \.serverCACertData),
      ("TEMPORAL_TLS_SERVER_NAME", \.serverName),
    ]
  }

  /// The CLI's older TLS variables; applied last, and only when not empty.
  static var legacyTLS: [(String, WritableKeyPath<ProfileSettings.TLS, Sourced<String>?>)] {
    [
      ("TEMPORAL_TLS_CERT", \.clientCertPath), ("TEMPORAL_TLS_CERT_DATA", \.clientCertData),
      ("TEMPORAL_TLS_KEY", \.clientKeyPath), ("TEMPORAL_TLS_KEY_DATA", \.clientKeyData),
      ("TEMPORAL_TLS_CA", \.serverCACertPath), ("TEMPORAL_TLS_CA_DATA", \.serverCACertData),
    ]
  }

  /// The prefix of the gRPC metadata variables.
  static let metaPrefix = "TEMPORAL_GRPC_META_"

  /// Applies the environment over `settings`.
  static func apply(_ environment: [String: String], to settings: inout ProfileSettings) {
    func source(_ name: String) -> ResolvedConnection.Source { .environment(name) }
    if let value = environment["TEMPORAL_ADDRESS"] {
      settings.address = Sourced(value: value, source: source("TEMPORAL_ADDRESS"))
    }
    if let value = environment["TEMPORAL_NAMESPACE"] {
      settings.namespace = Sourced(value: value, source: source("TEMPORAL_NAMESPACE"))
    }
    if let value = environment["TEMPORAL_API_KEY"] {
      settings.setAPIKey(value, from: source("TEMPORAL_API_KEY"))
    }
    if let value = environment["TEMPORAL_CLIENT_AUTHORITY"] {
      settings.authority = Sourced(value: value, source: source("TEMPORAL_CLIENT_AUTHORITY"))
    }
    if let value = environment["TEMPORAL_TLS"].flatMap(boolean) {
      settings.setTLS(\.disabled, !value, from: source("TEMPORAL_TLS"))
    }
    for (name, item) in tlsStrings {
      if let value = environment[name] { settings.setTLS(item, value, from: source(name)) }
    }
    if let value = environment["TEMPORAL_TLS_DISABLE_HOST_VERIFICATION"].flatMap(boolean) {
      settings.setTLS(
        \.disableHostVerification, value, from: source("TEMPORAL_TLS_DISABLE_HOST_VERIFICATION"))
    }
    if let value = environment["TEMPORAL_CODEC_ENDPOINT"] {
      settings.setCodec(\.endpoint, value, from: source("TEMPORAL_CODEC_ENDPOINT"))
    }
    if let value = environment["TEMPORAL_CODEC_AUTH"] {
      settings.setCodec(\.auth, value, from: source("TEMPORAL_CODEC_AUTH"))
    }
    for name in environment.keys.sorted() where name.hasPrefix(metaPrefix) {
      let key = ProfileSettings.normalizedMetaKey(String(name.dropFirst(metaPrefix.count)))
      guard !key.isEmpty, let value = environment[name] else { continue }
      if value.isEmpty {
        settings.grpcMeta[key] = nil
      } else {
        settings.setGRPCMeta(key, value, from: source(name))
      }
    }
    for (name, item) in legacyTLS {
      if let value = environment[name], !value.isEmpty {
        settings.setTLS(item, value, from: source(name))
      }
    }
  }

  /// sdk-go's `envVarToBool`: `1`/`true` and `0`/`false`, in any case; `nil` for anything else.
  static func boolean(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "1", "true": true
    case "0", "false": false
    default: nil
    }
  }
}
