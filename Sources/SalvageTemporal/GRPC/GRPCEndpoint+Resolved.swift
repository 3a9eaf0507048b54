extension GRPCEndpoint {
  /// The endpoint a resolved connection describes, with its TLS files already read (so an
  /// unreadable key fails at start-up with a one-line error naming it, before anything is journaled).
  public init(_ connection: ResolvedConnection, credentials: TLSCredentials?) {
    var tls: TLS?
    if let settings = connection.tls {
      var resolved = TLS()
      func pem(_ bytes: [UInt8]?) -> Source? { bytes.map { .data(String(decoding: $0, as: UTF8.self)) } }
      resolved.clientCertificate = pem(credentials?.clientCertificate)
      resolved.clientKey = pem(credentials?.clientKey)
      resolved.serverCA = pem(credentials?.serverCA)
      resolved.serverName = settings.serverName
      resolved.disableHostVerification = settings.disableHostVerification
      tls = resolved
    }
    self.init(
      host: connection.host, port: connection.port, namespace: connection.namespace, tls: tls,
      headers: connection.headers(), secrets: connection.secrets, authority: connection.authority)
  }
}
