import SalvageCore

/// Why salvage cannot work out where and how to connect, in one line naming the file, profile,
/// variable or flag at fault, and never a secret's value.
public enum ConnectionConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `--profile` or `TEMPORAL_PROFILE` named a profile the config file does not have (or the file
  /// does not exist).
  case profileNotFound(
    profile: String, file: String, fileExists: Bool, namedBy: ResolvedConnection.Source)
  /// The config file exists but could not be read.
  case unreadableConfigFile(file: String, reason: String)
  /// The config file is not valid TOML; line and column are the parser's, when it gives them.
  case malformedConfigFile(file: String, line: Int?, column: Int?, reason: String)
  /// A known key of the config file holds the wrong kind of value (sdk-go rejects these too).
  case invalidConfigValue(file: String, key: String, expected: String, found: String)
  /// A key is spelt twice in different cases (`namespace` and `Namespace`); the CLI matches keys
  /// case-insensitively and would pick one by position, so salvage refuses to guess.
  case ambiguousConfigKey(file: String, key: String, spellings: [String])
  /// The profile signs in with OAuth (`[profile.NAME.oauth]`), which salvage does not support.
  case oauthProfile(profile: String, file: String)
  /// The server address cannot be dialled: no port, a bad port, an unsupported scheme.
  case invalidAddress(address: String, source: ResolvedConnection.Source, reason: String)
  /// A `--grpc-meta` value (1-based position) is not `KEY=VALUE`; its text is not shown, since it
  /// may hold a credential.
  case invalidGRPCMeta(position: Int, reason: String)
  /// One TLS item (client certificate, client key, server CA) is given both as a path and as data.
  case tlsPathAndData(
    item: String, path: ResolvedConnection.Source, data: ResolvedConnection.Source)
  /// A client certificate without a client key, or a key without a certificate.
  case incompleteClientCertificate(
    present: String, presentSource: ResolvedConnection.Source, missing: String)
  /// The client certificate and key are given in different forms (one a path, the other data).
  case mixedClientCertificateForms(
    certificate: ResolvedConnection.Source, key: ResolvedConnection.Source)
  /// A TLS file named by a `*_path` setting could not be read.
  case unreadableCredential(item: String, path: String, reason: String)

  /// The one-line message shown to the operator.
  public var description: String {
    switch self {
    case .profileNotFound(let profile, let file, let fileExists, let namedBy):
      let missing = fileExists ? "" : ", which does not exist"
      let by = namedBy == .flag("--profile") ? "" : " (named by \(namedBy))"
      return "profile \(Quoted(profile)) is not in \(file)\(missing)\(by)"
    case .unreadableConfigFile(let file, let reason):
      return "cannot read the config file \(file): \(oneLine(reason))"
    case .malformedConfigFile(let file, let line, let column, let reason):
      let at = line.map { ", line \($0)" + (column.map { ", column \($0)" } ?? "") } ?? ""
      return "the config file \(file) is not valid TOML\(at): \(oneLine(reason))"
    case .invalidConfigValue(let file, let key, let expected, let found):
      return "\(key) in \(file) must be \(expected), not \(found)"
    case .ambiguousConfigKey(let file, let key, let spellings):
      return
        "\(key) in \(file) is spelt more than one way (\(spellings.joined(separator: ", "))); keep one"
    case .oauthProfile(let profile, let file):
      return
        "profile \(Quoted(profile)) in \(file) signs in with OAuth, which salvage does not support: "
        + "use an API key (--api-key or TEMPORAL_API_KEY) or mTLS"
    case .invalidAddress(let address, let source, let reason):
      return "the address \(Quoted(address)) (from \(source)) \(reason)"
    case .invalidGRPCMeta(let position, let reason):
      return "--grpc-meta value \(position) \(reason)"
    case .tlsPathAndData(let item, let path, let data):
      return
        "the TLS \(item) is given both as a path (from \(path)) and as data (from \(data)); give one"
    case .incompleteClientCertificate(let present, let presentSource, let missing):
      return "a TLS \(present) is set (from \(presentSource)) without a \(missing); mTLS needs both"
    case .mixedClientCertificateForms(let certificate, let key):
      return "the TLS client certificate and key must both be paths or both be data "
        + "(certificate from \(certificate), key from \(key))"
    case .unreadableCredential(let item, let path, let reason):
      return "cannot read the TLS \(item) file \(path): \(oneLine(reason))"
    }
  }
}

/// Keeps a message from a parser or the OS on one line, and short.
private func oneLine(_ text: String) -> String {
  let line = text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }
    .filter { !$0.isEmpty }.joined(separator: " ")
  return line.count > 200 ? String(line.prefix(200)) + "…" : line
}

extension Substring {
  fileprivate func trimmingWhitespace() -> Substring {
    var text = self
    while text.first?.isWhitespace == true { text.removeFirst() }
    while text.last?.isWhitespace == true { text.removeLast() }
    return text
  }
}
