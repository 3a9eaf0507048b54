internal import TOMLKit

/// Reads the profiles of a Temporal config file as sdk-go's `envconfig` (non-strict) does.
///
/// Layout: `[profile.NAME]` with `address`, `namespace`, `api_key`, `authority`, and the tables
/// `tls`, `codec`, `grpc_meta` (and the CLI's `oauth`), plus salvage's own table `salvage` with
/// `notify_url` (the webhook run notifications go to; a secret). Keys match case-insensitively, as
/// BurntSushi/toml matches struct fields; unknown keys are ignored; a known key holding the wrong
/// kind of value is an error, in any profile, since sdk-go decodes every profile.
struct ConfigFileParser {
  typealias Failure = ConnectionConfigurationError

  /// The file's path, for sources and messages.
  let file: String

  /// The TLS string items: TOML key and where it goes.
  static var tlsStrings: [(String, WritableKeyPath<ProfileSettings.TLS, Sourced<String>?>)] {
    [
      ("client_cert_path", \.clientCertPath), ("client_cert_data", \.clientCertData),
      ("client_key_path", \.clientKeyPath), ("client_key_data", \.clientKeyData),
      ("server_ca_cert_path", \.serverCACertPath), ("server_ca_cert_data", \.serverCACertData),
      ("server_name", \.serverName),
    ]
  }

  /// The OAuth items whose values are secrets.
  static let oauthSecrets = ["client_secret", "access_token", "refresh_token"]

  /// Every profile of the document, by name.
  func profiles(in text: String) throws(Failure) -> [String: ProfileSettings] {
    let root: TOMLTable
    do {
      root = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      let begin = error.source.begin
      throw .malformedConfigFile(
        file: file, line: begin.line > 0 ? begin.line : nil,
        column: begin.column > 0 ? begin.column : nil,
        reason: error.description)
    } catch {
      throw .malformedConfigFile(file: file, line: nil, column: nil, reason: "\(error)")
    }
    guard let profiles = try table(in: root, "profile", at: "") else { return [:] }
    var result: [String: ProfileSettings] = [:]
    for name in profiles.keys {
      guard let value = profiles[name], let profile = value.table else {
        throw .invalidConfigValue(
          file: file, key: "profile.\(name)", expected: "a table", found: kind(profiles[name]?.type)
        )
      }
      result[name] = try settings(of: profile, named: name)
    }
    return result
  }

  /// One profile's settings.
  private func settings(of profile: TOMLTable, named name: String) throws(Failure)
    -> ProfileSettings
  {
    let source = ResolvedConnection.Source.file(path: file, profile: name)
    let at = "profile.\(name)."
    var settings = ProfileSettings()
    if let value = try string(in: profile, "address", at: at) {
      settings.address = Sourced(value: value, source: source)
    }
    if let value = try string(in: profile, "namespace", at: at) {
      settings.namespace = Sourced(value: value, source: source)
    }
    if let value = try string(in: profile, "api_key", at: at) {
      settings.setAPIKey(value, from: source)
    }
    if let value = try string(in: profile, "authority", at: at) {
      settings.authority = Sourced(value: value, source: source)
    }
    if let tls = try table(in: profile, "tls", at: at) {
      settings.tls = ProfileSettings.TLS(origin: source)
      if let value = try bool(in: tls, "disabled", at: at + "tls.") {
        settings.setTLS(\.disabled, value, from: source)
      }
      for (key, item) in Self.tlsStrings {
        if let value = try string(in: tls, key, at: at + "tls.") {
          settings.setTLS(item, value, from: source)
        }
      }
      if let value = try bool(in: tls, "disable_host_verification", at: at + "tls.") {
        settings.setTLS(\.disableHostVerification, value, from: source)
      }
    }
    if let codec = try table(in: profile, "codec", at: at) {
      settings.codec = ProfileSettings.Codec(origin: source)
      if let value = try string(in: codec, "endpoint", at: at + "codec.") {
        settings.setCodec(\.endpoint, value, from: source)
      }
      if let value = try string(in: codec, "auth", at: at + "codec.") {
        settings.setCodec(\.auth, value, from: source)
      }
    }
    if let meta = try table(in: profile, "grpc_meta", at: at) {
      for key in meta.keys.sorted() {
        guard let value = meta[key]?.string else {
          throw .invalidConfigValue(
            file: file, key: at + "grpc_meta.\(key)", expected: "a string",
            found: kind(meta[key]?.type))
        }
        settings.setGRPCMeta(ProfileSettings.normalizedMetaKey(key), value, from: source)
      }
    }
    if let salvage = try table(in: profile, "salvage", at: at),
      let value = try string(in: salvage, "notify_url", at: at + "salvage.")
    {
      settings.notifyURL = Sourced(value: value, source: source)
      settings.noteSecret(value)
    }
    if let oauth = try table(in: profile, "oauth", at: at) {
      settings.usesOAuth = true
      for key in Self.oauthSecrets {
        if let value = try string(in: oauth, key, at: at + "oauth.") { settings.noteSecret(value) }
      }
    }
    return settings
  }

  /// The value of a key, matched case-insensitively; two spellings of one key are refused.
  private func lookup(
    in table: TOMLTable, _ key: String, at path: String
  ) throws(Failure) -> (any TOMLValueConvertible)? {
    let spellings = table.keys.filter { $0.lowercased() == key }
    if spellings.count > 1 {
      throw .ambiguousConfigKey(file: file, key: path + key, spellings: spellings.sorted())
    }
    return spellings.first.flatMap { table[$0] }
  }

  private func string(in table: TOMLTable, _ key: String, at path: String) throws(Failure)
    -> String?
  {
    guard let value = try lookup(in: table, key, at: path) else { return nil }
    guard let string = value.string else {
      throw .invalidConfigValue(
        file: file, key: path + key, expected: "a string", found: kind(value.type))
    }
    return string
  }

  private func bool(in table: TOMLTable, _ key: String, at path: String) throws(Failure) -> Bool? {
    guard let value = try lookup(in: table, key, at: path) else { return nil }
    guard let bool = value.bool else {
      throw .invalidConfigValue(
        file: file, key: path + key, expected: "a boolean", found: kind(value.type))
    }
    return bool
  }

  private func table(in table: TOMLTable, _ key: String, at path: String) throws(Failure)
    -> TOMLTable?
  {
    guard let value = try lookup(in: table, key, at: path) else { return nil }
    guard let child = value.table else {
      throw .invalidConfigValue(
        file: file, key: path + key, expected: "a table", found: kind(value.type))
    }
    return child
  }

  /// "a string", "an integer": the kind of value found, for messages (never the value).
  private func kind(_ type: TOMLType?) -> String {
    switch type {
    case .table?: "a table"
    case .array?: "an array"
    case .string?: "a string"
    case .int?: "an integer"
    case .double?: "a float"
    case .bool?: "a boolean"
    case .date?, .time?, .dateTime?: "a date or time"
    case nil: "nothing"
    }
  }
}
