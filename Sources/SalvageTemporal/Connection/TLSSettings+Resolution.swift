extension TLSSettings {
  /// The settings an enabled `tls` section describes, refusing what sdk-go's
  /// `applyToConnectionOptions` refuses: one item as both path and data, a client certificate
  /// without a key (or a key without a certificate), and a certificate and key in different forms.
  /// Empty values count as unset.
  init(
    _ section: ProfileSettings.TLS,
    sources: inout [ResolvedConnection.Field: ResolvedConnection.Source]
  ) throws(ConnectionConfigurationError) {
    let certificate = try Self.material(
      "client certificate", path: section.clientCertPath, data: section.clientCertData)
    let key = try Self.material(
      "client key", path: section.clientKeyPath, data: section.clientKeyData)
    let serverCA = try Self.material(
      "server CA", path: section.serverCACertPath, data: section.serverCACertData)
    switch (certificate, key) {
    case (let certificate?, nil):
      throw .incompleteClientCertificate(
        present: "client certificate", presentSource: certificate.source, missing: "client key")
    case (nil, let key?):
      throw .incompleteClientCertificate(
        present: "client key", presentSource: key.source, missing: "client certificate")
    case (let certificate?, let key?) where certificate.value.isPath != key.value.isPath:
      throw .mixedClientCertificateForms(certificate: certificate.source, key: key.source)
    default:
      break
    }
    self.init(
      clientCertificate: certificate?.value, clientKey: key?.value, serverCA: serverCA?.value)
    sources[.clientCertificate] = certificate?.source
    sources[.clientKey] = key?.source
    sources[.serverCA] = serverCA?.source
    if let name = section.serverName, !name.value.isEmpty {
      serverName = name.value
      sources[.serverName] = name.source
    }
    if let skip = section.disableHostVerification {
      disableHostVerification = skip.value
      sources[.disableHostVerification] = skip.source
    }
  }

  /// One item from its path and data settings; both (non-empty) is an error.
  private static func material(
    _ item: String, path: Sourced<String>?, data: Sourced<String>?
  ) throws(ConnectionConfigurationError) -> Sourced<Material>? {
    let path = path?.value.isEmpty == false ? path : nil
    let data = data?.value.isEmpty == false ? data : nil
    switch (path, data) {
    case (let path?, let data?):
      throw .tlsPathAndData(item: item, path: path.source, data: data.source)
    case (let path?, nil): return Sourced(value: .path(path.value), source: path.source)
    case (nil, let data?): return Sourced(value: .data(data.value), source: data.source)
    case (nil, nil): return nil
    }
  }
}

extension TLSSettings.Material {
  /// Whether the item is a path (rather than data).
  var isPath: Bool {
    if case .path = self { return true }
    return false
  }
}
