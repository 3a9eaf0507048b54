extension GRPCEndpoint {
  /// The endpoint a resolved connection describes, with its TLS files already read (so an
  /// unreadable key fails at start-up with a one-line error naming it, before anything is journaled).
  /// A key read from a file is a secret like inline key data: its contents join ``secrets``.
  public init(_ connection: ResolvedConnection, credentials: TLSCredentials?) {
    var tls: TLS?
    if let settings = connection.tls {
      var resolved = TLS()
      func pem(_ bytes: [UInt8]?) -> Source? {
        bytes.map { .data(String(decoding: $0, as: UTF8.self)) }
      }
      resolved.clientCertificate = pem(credentials?.clientCertificate)
      resolved.clientKey = pem(credentials?.clientKey)
      resolved.serverCA = pem(credentials?.serverCA)
      resolved.serverName = settings.serverName
      resolved.disableHostVerification = settings.disableHostVerification
      tls = resolved
    }
    self.init(
      host: connection.host, port: connection.port, namespace: connection.namespace, tls: tls,
      headers: connection.headers(),
      secrets: connection.secrets + Self.keyFileContents(connection, credentials),
      authority: connection.authority)
  }

  /// The client key's contents when it was given by path (inline key data is already a secret).
  private static func keyFileContents(
    _ connection: ResolvedConnection, _ credentials: TLSCredentials?
  ) -> [String] {
    guard case .path? = connection.tls?.clientKey, let key = credentials?.clientKey, !key.isEmpty
    else { return [] }
    let text = String(decoding: key, as: UTF8.self)
    return connection.secrets.contains(text) ? [] : [text]
  }
}
