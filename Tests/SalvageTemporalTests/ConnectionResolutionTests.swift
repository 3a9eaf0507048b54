import SalvageTemporal
import Testing

/// Where and how to connect: the config file profile, then `TEMPORAL_*`, then flags, as the
/// Temporal CLI (1.9.1) and sdk-go's `contrib/envconfig` resolve them.
@Suite struct ConnectionResolutionTests {
  static let file = ConnectionFixture.defaultFile
  static let fileSource = ResolvedConnection.Source.file(path: file, profile: "default")

  static let profile = """
    [profile.default]
    address = "file-host:7233"
    namespace = "file-ns"
    api_key = "file-key"
    authority = "file-authority"

    [profile.default.tls]
    server_name = "file-sni"

    [profile.default.codec]
    endpoint = "https://file-codec"

    [profile.default.grpc_meta]
    x-tenant = "file-tenant"
    """

  @Test func variablesOverrideTheProfileFileAndFlagsOverrideVariables() throws {
    // Given a profile file
    var fixture = ConnectionFixture(file: Self.profile)
    // When only the file applies, then every value is the file's
    var resolved = try fixture.resolve()
    #expect(resolved.address == "file-host:7233")
    #expect(resolved.namespace == "file-ns")
    #expect(resolved.apiKey?.revealed == "file-key")
    #expect(resolved.tls?.serverName == "file-sni")
    #expect(resolved.authority == "file-authority")
    #expect(resolved.codecEndpoint == "https://file-codec")
    #expect(resolved.grpcMeta["x-tenant"]?.revealed == "file-tenant")
    #expect(
      resolved.sources[.address] == Self.fileSource
        && resolved.sources[.grpcMeta("x-tenant")] == Self.fileSource)

    // When the variables are set too, then they win over the file
    fixture.environment.merge([
      "TEMPORAL_ADDRESS": "env-host:7234", "TEMPORAL_NAMESPACE": "env-ns",
      "TEMPORAL_API_KEY": "env-key",
      "TEMPORAL_TLS_SERVER_NAME": "env-sni", "TEMPORAL_CLIENT_AUTHORITY": "env-authority",
      "TEMPORAL_CODEC_ENDPOINT": "https://env-codec", "TEMPORAL_GRPC_META_X_TENANT": "env-tenant",
    ]) { $1 }
    resolved = try fixture.resolve()
    #expect(resolved.address == "env-host:7234")
    #expect(resolved.namespace == "env-ns")
    #expect(resolved.apiKey?.revealed == "env-key")
    #expect(resolved.tls?.serverName == "env-sni")
    #expect(resolved.authority == "env-authority")
    #expect(resolved.codecEndpoint == "https://env-codec")
    #expect(resolved.grpcMeta["x-tenant"]?.revealed == "env-tenant")
    #expect(resolved.sources[.address] == .environment("TEMPORAL_ADDRESS"))
    #expect(resolved.sources[.grpcMeta("x-tenant")] == .environment("TEMPORAL_GRPC_META_X_TENANT"))

    // When flags are given as well, then they win over both
    resolved = try fixture.resolve(
      .with {
        $0.address = "flag-host:7235"
        $0.namespace = "flag-ns"
        $0.apiKey = "flag-key"
        $0.tlsServerName = "flag-sni"
        $0.clientAuthority = "flag-authority"
        $0.codecEndpoint = "https://flag-codec"
        $0.grpcMeta = ["x-tenant=flag-tenant"]
      })
    #expect(resolved.address == "flag-host:7235")
    #expect(resolved.namespace == "flag-ns")
    #expect(resolved.apiKey?.revealed == "flag-key")
    #expect(resolved.tls?.serverName == "flag-sni")
    #expect(resolved.authority == "flag-authority")
    #expect(resolved.codecEndpoint == "https://flag-codec")
    #expect(resolved.grpcMeta["x-tenant"]?.revealed == "flag-tenant")
    #expect(
      resolved.sources[.address] == .flag("--address")
        && resolved.sources[.apiKey] == .flag("--api-key"))
    #expect(resolved.sources[.serverName] == .flag("--tls-server-name"))
  }

  @Test func tlsFilesFollowTheSamePrecedence() throws {
    // Given a CA path in the file, the variable and the flag
    var fixture = ConnectionFixture(
      file: "[profile.default.tls]\nserver_ca_cert_path = \"/file/ca.pem\"\n")
    #expect(try fixture.resolve().tls?.serverCA == .path("/file/ca.pem"))
    fixture.environment["TEMPORAL_TLS_SERVER_CA_CERT_PATH"] = "/env/ca.pem"
    #expect(try fixture.resolve().tls?.serverCA == .path("/env/ca.pem"))
    // Then the flag wins, and its source says so
    let resolved = try fixture.resolve(.with { $0.tlsCAPath = "/flag/ca.pem" })
    #expect(resolved.tls?.serverCA == .path("/flag/ca.pem"))
    #expect(resolved.sources[.serverCA] == .flag("--tls-ca-path"))
  }

  @Test func anEmptyVariableStillOverridesTheFile() throws {
    // Given a file with an API key, a namespace and an address, and those variables set but empty
    let fixture = ConnectionFixture(
      file: Self.profile,
      environment: ["TEMPORAL_API_KEY": "", "TEMPORAL_NAMESPACE": "", "TEMPORAL_ADDRESS": ""])
    // When resolved
    let resolved = try fixture.resolve()
    // Then the file's values are gone and the defaults apply
    #expect(resolved.apiKey == nil)
    #expect(resolved.namespace == "default" && resolved.sources[.namespace] == .default)
    #expect(resolved.address == "localhost:7233" && resolved.sources[.address] == .default)
    // And TLS is on only because the file has a [tls] table, not because of the removed key
    #expect(resolved.tls?.serverName == "file-sni")
  }

  @Test func aMissingDefaultFileIsFineAndGivesTheDefaults() throws {
    // Given no config file at all
    let fixture = ConnectionFixture()
    // When resolved
    let resolved = try fixture.resolve()
    // Then the CLI's defaults apply, from the default path that was looked for
    #expect(
      resolved.address == "localhost:7233" && resolved.host == "localhost" && resolved.port == 7233)
    #expect(resolved.namespace == "default")
    #expect(resolved.tls == nil && resolved.apiKey == nil && resolved.grpcMeta.isEmpty)
    #expect(resolved.sources == [.address: .default, .namespace: .default, .tls: .default])
    #expect(
      resolved.configFile == Self.file && !resolved.configFileExists
        && resolved.profile == "default")
    #expect(fixture.requestedPaths == [Self.file])
  }

  @Test func aMissingDefaultProfileIsFine() throws {
    // Given a file with only a "prod" profile, and no profile named
    let fixture = ConnectionFixture(file: "[profile.prod]\naddress = \"prod:7233\"\n")
    // Then the defaults apply
    #expect(try fixture.resolve().address == "localhost:7233")
  }

  @Test func aMissingNamedProfileIsAnErrorNamingTheProfileAndTheFile() {
    // Given a file with only the default profile
    var fixture = ConnectionFixture(file: Self.profile)
    // When --profile names another one, then the message names it and the file
    let error = fixture.error(.with { $0.profile = "prod" })
    #expect(
      error?.description == "profile 'prod' is not in /home/op/.config/temporalio/temporal.toml")
    // And when TEMPORAL_PROFILE names it, the message says so
    fixture.environment["TEMPORAL_PROFILE"] = "prod"
    #expect(
      fixture.error()?.description
        == "profile 'prod' is not in /home/op/.config/temporalio/temporal.toml (named by TEMPORAL_PROFILE)"
    )
    // And a named profile of a missing file is an error too
    #expect(
      ConnectionFixture().error(.with { $0.profile = "prod" })?.description
        == "profile 'prod' is not in /home/op/.config/temporalio/temporal.toml, which does not exist"
    )
  }

  @Test func theFlagChoosesTheProfileOverTheVariable() throws {
    // Given two profiles and TEMPORAL_PROFILE naming one
    let fixture = ConnectionFixture(
      file: "[profile.a]\nnamespace = \"ns-a\"\n[profile.b]\nnamespace = \"ns-b\"\n",
      environment: ["TEMPORAL_PROFILE": "a"])
    // Then the variable chooses, and --profile overrides it
    #expect(try fixture.resolve().namespace == "ns-a")
    let resolved = try fixture.resolve(.with { $0.profile = "b" })
    #expect(resolved.namespace == "ns-b" && resolved.profile == "b")
    #expect(resolved.sources[.namespace] == .file(path: Self.file, profile: "b"))
  }

  @Test func malformedTOMLNamesTheFileAndTheParsersLine() {
    // Given a file whose table header is not closed on line 2
    let fixture = ConnectionFixture(file: "# salvage\n[profile.default\naddress = \"x:1\"\n")
    // Then the error names the file and the line, on one line
    guard case .malformedConfigFile(let file, let line, _, _)? = fixture.error() else {
      Issue.record("expected a malformed-file error")
      return
    }
    #expect(file == Self.file && line == 2)
    #expect(
      fixture.error()?.description
        == "the config file \(Self.file) is not valid TOML, line 2, column 17: "
        + #"Error while parsing table header: expected ']', saw '\n'"#)
  }

  @Test func aKnownKeyOfTheWrongTypeIsAnErrorNamingTheKey() {
    #expect(
      ConnectionFixture(file: "[profile.default]\nnamespace = 5\n").error()
        == .invalidConfigValue(
          file: Self.file, key: "profile.default.namespace", expected: "a string",
          found: "an integer"))
    #expect(
      ConnectionFixture(file: "[profile.default]\ntls = true\n").error()?.description
        == "profile.default.tls in \(Self.file) must be a table, not a boolean")
    #expect(
      ConnectionFixture(file: "[profile.default.tls]\ndisabled = \"yes\"\n").error()?.description
        == "profile.default.tls.disabled in \(Self.file) must be a boolean, not a string")
    #expect(
      ConnectionFixture(file: "[profile.default.grpc_meta]\nx-n = 1\n").error()?.description
        == "profile.default.grpc_meta.x-n in \(Self.file) must be a string, not an integer")
    // And, as sdk-go decodes every profile, a profile not in use fails too
    #expect(
      ConnectionFixture(file: "[profile.default]\n[profile.other]\naddress = 7233\n").error()?
        .description
        == "profile.other.address in \(Self.file) must be a string, not an integer")
  }

  @Test func unknownKeysAreIgnoredAndKnownKeysMatchInAnyCase() throws {
    // Given keys in other cases, as BurntSushi/toml accepts, and keys sdk-go does not know
    let fixture = ConnectionFixture(
      file:
        "[PROFILE.default]\nNamespace = \"upper\"\nbogus = 1\n[PROFILE.default.TLS]\nServer_Name = \"s\"\n[other]\nx = 1\n"
    )
    // Then the known keys apply and the unknown ones are ignored
    let resolved = try fixture.resolve()
    #expect(resolved.namespace == "upper" && resolved.tls?.serverName == "s")
    // But one key spelt twice is refused rather than guessed
    #expect(
      ConnectionFixture(file: "[profile.default]\nnamespace = \"a\"\nNamespace = \"b\"\n").error()?
        .description
        == "profile.default.namespace in \(Self.file) is spelt more than one way (Namespace, namespace); keep one"
    )
  }

  @Test func aReaderFailureIsAnUnreadableFileError() {
    // Given a config file the reader cannot read
    let resolver = ConnectionResolver(environment: ["HOME": "/home/op"]) { _ in
      throw LocalFile.Failure("Permission denied")
    }
    // Then the error names the file and the reason
    #expect(
      throws: ConnectionConfigurationError.unreadableConfigFile(
        file: Self.file, reason: "Permission denied")
    ) {
      try resolver.resolve(ConnectionFlags())
    }
  }

  @Test func anOAuthProfileIsRefusedByNameUnlessAnAPIKeyFlagReplacesIt() throws {
    // Given a profile signed in with OAuth (as `temporal cloud login` leaves it)
    let fixture = ConnectionFixture(
      file: "[profile.default]\naddress = \"a.tmprl.cloud:7233\"\n[profile.default.oauth]\n"
        + "client_id = \"cli\"\naccess_token = \"oauth-access\"\nrefresh_token = \"oauth-refresh\"\n"
    )
    // Then it is refused by name, without any token in the message
    let message = fixture.error()?.description ?? ""
    #expect(
      message
        == "profile 'default' in \(Self.file) signs in with OAuth, which salvage does not support: "
        + "use an API key (--api-key or TEMPORAL_API_KEY) or mTLS")
    // And with --api-key (which the CLI also prefers over OAuth) it resolves, the tokens kept as secrets
    let resolved = try fixture.resolve(.with { $0.apiKey = "flag-key" })
    #expect(resolved.apiKey?.revealed == "flag-key")
    #expect(Set(resolved.secrets) == ["flag-key", "oauth-access", "oauth-refresh"])
  }

  @Test func theNamespaceTemplateInTheAddressIsFilledIn() throws {
    // Given the CLI's ${namespace} placeholder in the address
    let fixture = ConnectionFixture(
      file:
        "[profile.default]\naddress = \"${namespace}.tmprl.cloud:7233\"\nnamespace = \"payments.a1b2\"\n"
    )
    // Then it is replaced by the resolved namespace
    #expect(try fixture.resolve().host == "payments.a1b2.tmprl.cloud")
  }
}

/// Resolves connections over an in-memory environment and config files, recording which files
/// the resolver asked for.
struct ConnectionFixture {
  /// Where the default config file is for `HOME=/home/op`.
  static let defaultFile = "/home/op/.config/temporalio/temporal.toml"

  var environment: [String: String] = ["HOME": "/home/op"]
  var files: [String: String] = [:]
  private let log = PathLog()

  init(file: String? = nil, environment: [String: String] = [:]) {
    if let file { files[Self.defaultFile] = file }
    self.environment.merge(environment) { $1 }
  }

  /// The resolved connection for these flags.
  func resolve(_ flags: ConnectionFlags = ConnectionFlags()) throws(ConnectionConfigurationError)
    -> ResolvedConnection
  {
    let files = files
    let log = log
    return try ConnectionResolver(environment: environment) { path in
      log.paths.append(path)
      return files[path]
    }.resolve(flags)
  }

  /// The error resolving these flags gives, or `nil` when they resolve.
  func error(_ flags: ConnectionFlags = ConnectionFlags()) -> ConnectionConfigurationError? {
    do {
      _ = try resolve(flags)
      return nil
    } catch {
      return error
    }
  }

  /// The paths the resolver asked the reader for.
  var requestedPaths: [String] { log.paths }

  private final class PathLog {
    var paths: [String] = []
  }
}

extension ConnectionFlags {
  /// Flags built in one expression: `.with { $0.address = "h:1" }`.
  static func with(_ build: (inout ConnectionFlags) -> Void) -> ConnectionFlags {
    var flags = ConnectionFlags()
    build(&flags)
    return flags
  }
}
