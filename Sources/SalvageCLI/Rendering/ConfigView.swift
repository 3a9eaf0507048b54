import SalvageTemporal

/// `salvage config --output json`: the resolved connection with every secret redacted, as the text
/// form shows it (`<redacted, 32 bytes>`; TLS data by its size only), and where each value came from.
struct ConfigView: Encodable {
  struct TLS: Encodable {
    let clientCertificate: String?
    let clientKey: String?
    let serverCA: String?
    let serverName: String?
    let hostVerification: Bool
  }

  /// `--check`: what the server said.
  struct Server: Encodable {
    let version: String
    let namespace: String
    let retentionHours: Int
  }

  let address: String
  let namespace: String
  /// `nil` when no API key is set.
  let apiKey: String?
  /// `nil` when TLS is off.
  let tls: TLS?
  let grpcMeta: [String: String]
  let authority: String?
  let codecEndpoint: String?
  let codecAuth: String?
  let configFile: String?
  let configFileExists: Bool
  let profile: String?
  /// Setting name (as in this object, `grpcMeta.<key>` for a header) to `default`, a
  /// `TEMPORAL_*` variable, a flag, or `profile '…' in <file>`.
  let sources: [String: String]
  var server: Server?

  init(_ resolved: ResolvedConnection) {
    address = resolved.address
    namespace = resolved.namespace
    apiKey = resolved.apiKey?.description
    tls = resolved.tls.map { tls in
      TLS(
        clientCertificate: tls.clientCertificate?.description,
        clientKey: tls.clientKey.map(Self.redacted),
        serverCA: tls.serverCA?.description, serverName: tls.serverName,
        hostVerification: !tls.disableHostVerification)
    }
    grpcMeta = resolved.grpcMeta.mapValues(\.description)
    authority = resolved.authority
    codecEndpoint = resolved.codecEndpoint
    codecAuth = resolved.codecAuth?.description
    configFile = resolved.configFile
    configFileExists = resolved.configFileExists
    profile = resolved.profile
    sources = Dictionary(
      resolved.sources.map { (Self.name(of: $0.key), $0.value.description) },
      uniquingKeysWith: { first, _ in first })
  }

  /// A key given as data shows only as a secret's length; a path is shown.
  private static func redacted(_ key: TLSSettings.Material) -> String {
    switch key {
    case .path: key.description
    case .data(let text): Secret(text).description
    }
  }

  private static func name(of field: ResolvedConnection.Field) -> String {
    switch field {
    case .address: "address"
    case .namespace: "namespace"
    case .apiKey: "apiKey"
    case .tls: "tls"
    case .clientCertificate: "tls.clientCertificate"
    case .clientKey: "tls.clientKey"
    case .serverCA: "tls.serverCA"
    case .serverName: "tls.serverName"
    case .disableHostVerification: "tls.hostVerification"
    case .authority: "authority"
    case .codecEndpoint: "codecEndpoint"
    case .codecAuth: "codecAuth"
    case .grpcMeta(let key): "grpcMeta.\(key)"
    }
  }
}
