/// The PEM bytes of a connection's TLS items, path-given ones read from disk.
///
/// This is the one impure step: ``ConnectionResolver`` only names the files, and
/// ``TLSSettings/loadCredentials(readFile:)`` reads them, failing with a one-line error that
/// names the item and the path.
public struct TLSCredentials: Equatable, Sendable, CustomStringConvertible, CustomReflectable {
  /// The client certificate's PEM bytes.
  public var clientCertificate: [UInt8]?
  /// The client private key's PEM bytes (a secret).
  public var clientKey: [UInt8]?
  /// The server CA's PEM bytes.
  public var serverCA: [UInt8]?

  /// Credentials from PEM bytes.
  public init(
    clientCertificate: [UInt8]? = nil, clientKey: [UInt8]? = nil, serverCA: [UInt8]? = nil
  ) {
    self.clientCertificate = clientCertificate
    self.clientKey = clientKey
    self.serverCA = serverCA
  }

  /// Sizes only: `client cert 1200 bytes, client key <redacted, 1704 bytes>`.
  public var description: String {
    var parts: [String] = []
    if let clientCertificate { parts.append("client cert \(clientCertificate.count) bytes") }
    if let clientKey { parts.append("client key <redacted, \(clientKey.count) bytes>") }
    if let serverCA { parts.append("server ca \(serverCA.count) bytes") }
    return parts.isEmpty ? "no TLS credentials" : parts.joined(separator: ", ")
  }

  /// No children, so `dump` never shows key bytes.
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension TLSSettings {
  /// Reads the path-given items (data-given ones are used as they are) into PEM bytes.
  ///
  /// `readFile` returns a file's bytes or throws; the default reads the local file system.
  /// Contents are not parsed here: the TLS stack rejects a file that is not PEM.
  public func loadCredentials(
    readFile: (String) throws -> [UInt8] = LocalFile.contents(of:)
  ) throws(ConnectionConfigurationError) -> TLSCredentials {
    func load(_ material: Material?, _ item: String) throws(ConnectionConfigurationError)
      -> [UInt8]?
    {
      switch material {
      case nil: return nil
      case .data(let text)?: return Array(text.utf8)
      case .path(let path)?:
        do {
          return try readFile(path)
        } catch {
          throw .unreadableCredential(item: item, path: path, reason: LocalFile.reason(error))
        }
      }
    }
    return TLSCredentials(
      clientCertificate: try load(clientCertificate, "client certificate"),
      clientKey: try load(clientKey, "client key"), serverCA: try load(serverCA, "server CA"))
  }
}
