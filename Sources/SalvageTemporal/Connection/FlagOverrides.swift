/// Applies the command-line flags over a profile, as the CLI's `cliext.ClientOptionsBuilder.Build`
/// does, with two deliberate differences (both towards what the operator asked for):
///
/// - `--tls-server-name` and `--tls-disable-host-verification` count as TLS settings, so they turn
///   TLS on and always apply (CLI 1.9.1 drops them unless another TLS flag is given; its upstream
///   fix "apply --tls-* flags when TLS is implied" makes them count as salvage does);
/// - `--tls` turns TLS on even over a profile's `tls.disabled = true` (the CLI keeps it off).
///
/// `--tls=false` replaces every TLS setting with "disabled", as in the CLI.
enum FlagOverrides {
  /// Where a TLS string setting goes.
  typealias TLSItem = WritableKeyPath<ProfileSettings.TLS, Sourced<String>?>

  /// The TLS string flags and where they go.
  static var tlsStrings: [(String, KeyPath<ConnectionFlags, String?>, TLSItem)] {
    [
      ("--tls-cert-path", \.tlsCertPath, \.clientCertPath),
      ("--tls-cert-data", \.tlsCertData, \.clientCertData),
      ("--tls-key-path", \.tlsKeyPath, \.clientKeyPath),
      ("--tls-key-data", \.tlsKeyData, \.clientKeyData),
      ("--tls-ca-path", \.tlsCAPath, \.serverCACertPath),
      ("--tls-ca-data", \.tlsCAData, \.serverCACertData),
      ("--tls-server-name", \.tlsServerName, \.serverName),
    ]
  }

  /// Applies `flags` over `settings`; fails only on a malformed `--grpc-meta`.
  static func apply(_ flags: ConnectionFlags, to settings: inout ProfileSettings)
    throws(ConnectionConfigurationError)
  {
    if let value = ConnectionFlags.given(flags.address, emptyCounts: true) {
      settings.address = Sourced(value: value, source: .flag("--address"))
    }
    if let value = ConnectionFlags.given(flags.namespace, emptyCounts: true) {
      settings.namespace = Sourced(value: value, source: .flag("--namespace"))
    }
    if let value = ConnectionFlags.given(flags.apiKey) {
      settings.setAPIKey(value, from: .flag("--api-key"))
    }
    if let value = ConnectionFlags.given(flags.clientAuthority) {
      settings.authority = Sourced(value: value, source: .flag("--client-authority"))
    }
    for (position, argument) in flags.grpcMeta.enumerated() {
      let (key, value) = try metaPair(argument, position: position + 1)
      settings.setGRPCMeta(key, value, from: .flag("--grpc-meta"))
    }
    for (name, flag, item) in tlsStrings {
      if let value = ConnectionFlags.given(flags[keyPath: flag]) {
        settings.setTLS(item, value, from: .flag(name))
      }
    }
    if flags.tlsDisableHostVerification == true {
      settings.setTLS(
        \.disableHostVerification, true, from: .flag("--tls-disable-host-verification"))
    }
    switch flags.tls {
    case true?:
      settings.setTLS(\.disabled, false, from: .flag("--tls"))
    case false?:
      var disabled = ProfileSettings.TLS(origin: .flag("--tls"))
      disabled.disabled = Sourced(value: true, source: .flag("--tls"))
      settings.tls = disabled
    case nil:
      break
    }
    if let value = ConnectionFlags.given(flags.codecEndpoint) {
      settings.setCodec(\.endpoint, value, from: .flag("--codec-endpoint"))
    }
    if let value = ConnectionFlags.given(flags.codecAuth), settings.codec != nil {
      settings.setCodec(\.auth, value, from: .flag("--codec-auth"))
    }
  }

  /// Splits `KEY=VALUE` at the first `=`. The key is lower-cased (gRPC sends header names so)
  /// but, as in the CLI, `_` is kept; an empty value is sent as an empty header.
  static func metaPair(_ argument: String, position: Int) throws(ConnectionConfigurationError) -> (
    String, String
  ) {
    guard let equals = argument.firstIndex(of: "=") else {
      throw .invalidGRPCMeta(position: position, reason: "has no '=': write KEY=VALUE")
    }
    let key = argument[..<equals].lowercased()
    guard !key.isEmpty else {
      throw .invalidGRPCMeta(position: position, reason: "has an empty KEY: write KEY=VALUE")
    }
    guard key.unicodeScalars.allSatisfy(isHeaderNameScalar) else {
      throw .invalidGRPCMeta(
        position: position,
        reason: "has a KEY that is not a header name (letters, digits, '-', '_', '.')")
    }
    return (key, String(argument[argument.index(after: equals)...]))
  }

  /// gRPC header names: lower-case letters, digits, `-`, `_` and `.`.
  private static func isHeaderNameScalar(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
      || scalar == "."
  }
}
