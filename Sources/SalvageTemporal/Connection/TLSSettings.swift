/// How to speak TLS to the server: present on a ``ResolvedConnection`` only when TLS is on.
///
/// The client certificate and key, when present, are both paths or both data (the resolver
/// refuses anything else, as sdk-go does). Read path-given items with ``loadCredentials(readFile:)``.
public struct TLSSettings: Equatable, Sendable, CustomStringConvertible {
  /// A PEM item given as a file path or as the PEM text itself.
  public enum Material: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
  {
    /// A path to a PEM file, read by ``TLSSettings/loadCredentials(readFile:)``.
    case path(String)
    /// The PEM text itself (for the client key, a secret).
    case data(String)

    /// `path /etc/tls/client.pem` or `data, 1704 bytes`: never the data itself.
    public var description: String {
      switch self {
      case .path(let path): "path \(path)"
      case .data(let text): "data, \(text.utf8.count) bytes"
      }
    }

    /// The same as ``description``, so a debugger or a test failure never shows key data.
    public var debugDescription: String { description }

    /// No children, so `dump` shows nothing of the data.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
  }

  /// The client certificate for mTLS.
  public var clientCertificate: Material?
  /// The client private key for mTLS.
  public var clientKey: Material?
  /// The CA that signs the server's certificate, instead of the system's roots.
  public var serverCA: Material?
  /// The name to send as SNI and verify the certificate against, instead of the host.
  public var serverName: String?
  /// Skip verifying the server's certificate.
  public var disableHostVerification: Bool

  /// TLS settings; all defaults mean server-authenticated TLS against the system's roots.
  public init(
    clientCertificate: Material? = nil, clientKey: Material? = nil, serverCA: Material? = nil,
    serverName: String? = nil, disableHostVerification: Bool = false
  ) {
    self.clientCertificate = clientCertificate
    self.clientKey = clientKey
    self.serverCA = serverCA
    self.serverName = serverName
    self.disableHostVerification = disableHostVerification
  }

  /// One line per item, data and keys redacted.
  public var description: String {
    var parts: [String] = []
    if let clientCertificate { parts.append("client cert \(clientCertificate)") }
    if let clientKey { parts.append("client key \(clientKey)") }
    if let serverCA { parts.append("server ca \(serverCA)") }
    if let serverName { parts.append("server name \(serverName)") }
    if disableHostVerification { parts.append("host verification off") }
    return parts.isEmpty ? "TLS" : "TLS (" + parts.joined(separator: ", ") + ")"
  }
}
