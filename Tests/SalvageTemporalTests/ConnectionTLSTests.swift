import SalvageTemporal
import Testing

/// When TLS is on, and which TLS settings sdk-go refuses.
@Suite struct ConnectionTLSTests {
  static let file = ConnectionFixture.defaultFile

  @Test func anAPIKeyTurnsTLSOn() throws {
    // Given only an API key, from the variable
    let resolved = try ConnectionFixture(environment: ["TEMPORAL_API_KEY": "k-123"]).resolve()
    // Then TLS is on with the system's roots, decided by the key's source
    #expect(resolved.tls == TLSSettings())
    #expect(resolved.sources[.tls] == .environment("TEMPORAL_API_KEY"))
  }

  @Test func tlsDisabledInTheFileKeepsTLSOffDespiteAnAPIKey() throws {
    // Given a profile with an API key and tls.disabled = true
    let fixture = ConnectionFixture(
      file: "[profile.default]\napi_key = \"k-123\"\n[profile.default.tls]\ndisabled = true\n")
    // Then TLS stays off, and the key is still sent
    let resolved = try fixture.resolve()
    #expect(resolved.tls == nil && resolved.apiKey?.revealed == "k-123")
    #expect(resolved.sources[.tls] == .file(path: Self.file, profile: "default"))
  }

  @Test func tlsFalseFromTheVariableOrTheFlagKeepsTLSOffDespiteAnAPIKey() throws {
    let variable = try ConnectionFixture(environment: [
      "TEMPORAL_API_KEY": "k", "TEMPORAL_TLS": "FALSE",
    ]).resolve()
    #expect(variable.tls == nil && variable.sources[.tls] == .environment("TEMPORAL_TLS"))
    // --tls=false also drops every other TLS setting, as in the CLI
    let flag = try ConnectionFixture(environment: [
      "TEMPORAL_API_KEY": "k", "TEMPORAL_TLS_SERVER_NAME": "s",
    ])
    .resolve(.with { $0.tls = false })
    #expect(flag.tls == nil && flag.sources[.tls] == .flag("--tls"))
  }

  @Test func tlsTrueOverridesAFileThatDisablesIt() throws {
    let fixture = ConnectionFixture(file: "[profile.default.tls]\ndisabled = true\n")
    #expect(try fixture.resolve().tls == nil)
    // TEMPORAL_TLS=1 turns it back on (sdk-go), and so does --tls (salvage; CLI 1.9.1 keeps it off)
    var variable = fixture
    variable.environment["TEMPORAL_TLS"] = "1"
    #expect(try variable.resolve().tls == TLSSettings())
    #expect(try fixture.resolve(.with { $0.tls = true }).tls == TLSSettings())
  }

  @Test func anUnrecognisedBooleanVariableIsIgnoredAsInSDKGo() throws {
    #expect(try ConnectionFixture(environment: ["TEMPORAL_TLS": "yes"]).resolve().tls == nil)
  }

  /// One way of naming a TLS setting, from each source.
  enum Setting: String, CaseIterable, Sendable {
    case emptyTable, fileServerName, fileDisableHostVerification, emptyServerNameVariable,
      caPathVariable
    case legacyCAVariable, caPathFlag, serverNameFlag, disableHostVerificationFlag, tlsFlag,
      tlsVariable

    var fixture: ConnectionFixture {
      switch self {
      case .emptyTable: ConnectionFixture(file: "[profile.default.tls]\n")
      case .fileServerName: ConnectionFixture(file: "[profile.default.tls]\nserver_name = \"s\"\n")
      case .fileDisableHostVerification:
        ConnectionFixture(file: "[profile.default.tls]\ndisable_host_verification = true\n")
      case .emptyServerNameVariable:
        ConnectionFixture(environment: ["TEMPORAL_TLS_SERVER_NAME": ""])
      case .caPathVariable:
        ConnectionFixture(environment: ["TEMPORAL_TLS_SERVER_CA_CERT_PATH": "/ca.pem"])
      case .legacyCAVariable: ConnectionFixture(environment: ["TEMPORAL_TLS_CA": "/ca.pem"])
      case .tlsVariable: ConnectionFixture(environment: ["TEMPORAL_TLS": "true"])
      case .caPathFlag, .serverNameFlag, .disableHostVerificationFlag, .tlsFlag: ConnectionFixture()
      }
    }

    var flags: ConnectionFlags {
      switch self {
      case .caPathFlag: .with { $0.tlsCAPath = "/ca.pem" }
      case .serverNameFlag: .with { $0.tlsServerName = "s" }
      case .disableHostVerificationFlag: .with { $0.tlsDisableHostVerification = true }
      case .tlsFlag: .with { $0.tls = true }
      default: ConnectionFlags()
      }
    }
  }

  @Test(arguments: Setting.allCases)
  func anyTLSSettingTurnsTLSOn(setting: Setting) throws {
    // Given one TLS setting and nothing else, then TLS is on
    #expect(try setting.fixture.resolve(setting.flags).tls != nil)
  }

  @Test func tlsItemsAreReportedWithTheirFormAndSource() throws {
    // Given mTLS from data in the variables, a CA path from the flag and host verification off
    let resolved = try ConnectionFixture(environment: [
      "TEMPORAL_TLS_CLIENT_CERT_DATA": "CERT PEM", "TEMPORAL_TLS_CLIENT_KEY_DATA": "KEY PEM",
      "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION": "true",
    ]).resolve(.with { $0.tlsCAPath = "/etc/ca.pem" })
    #expect(
      resolved.tls
        == TLSSettings(
          clientCertificate: .data("CERT PEM"), clientKey: .data("KEY PEM"),
          serverCA: .path("/etc/ca.pem"),
          disableHostVerification: true))
    #expect(resolved.sources[.clientKey] == .environment("TEMPORAL_TLS_CLIENT_KEY_DATA"))
    #expect(
      resolved.sources[.disableHostVerification]
        == .environment("TEMPORAL_TLS_DISABLE_HOST_VERIFICATION"))
  }

  @Test func legacyTLSVariablesOverrideTheNewOnes() throws {
    // Given both the current and the CLI's older variable for the client certificate and key
    let resolved = try ConnectionFixture(environment: [
      "TEMPORAL_TLS_CLIENT_CERT_PATH": "/new/cert.pem", "TEMPORAL_TLS_CERT": "/old/cert.pem",
      "TEMPORAL_TLS_CLIENT_KEY_PATH": "/new/key.pem", "TEMPORAL_TLS_KEY": "/old/key.pem",
    ]).resolve()
    // Then the older ones win, as in the CLI
    #expect(resolved.tls?.clientCertificate == .path("/old/cert.pem"))
    #expect(resolved.sources[.clientKey] == .environment("TEMPORAL_TLS_KEY"))
  }

  @Test func pathAndDataForTheSameItemIsAnErrorNamingBothSources() {
    // Given a client certificate path in the file and certificate data in a variable
    let fixture = ConnectionFixture(
      file: "[profile.default.tls]\nclient_cert_path = \"/c.pem\"\nclient_key_path = \"/k.pem\"\n",
      environment: ["TEMPORAL_TLS_CLIENT_CERT_DATA": "PEM"])
    #expect(
      fixture.error()?.description
        == "the TLS client certificate is given both as a path (from profile 'default' in \(Self.file)) "
        + "and as data (from TEMPORAL_TLS_CLIENT_CERT_DATA); give one")
    // And the same for the server CA
    #expect(
      ConnectionFixture(environment: ["TEMPORAL_TLS_SERVER_CA_CERT_DATA": "PEM"]).error(
        .with { $0.tlsCAPath = "/ca" })
        == .tlsPathAndData(
          item: "server CA", path: .flag("--tls-ca-path"),
          data: .environment("TEMPORAL_TLS_SERVER_CA_CERT_DATA")))
  }

  @Test func aClientCertificateNeedsAKeyInTheSameForm() {
    #expect(
      ConnectionFixture().error(.with { $0.tlsCertPath = "/c.pem" })?.description
        == "a TLS client certificate is set (from --tls-cert-path) without a client key; mTLS needs both"
    )
    #expect(
      ConnectionFixture(environment: ["TEMPORAL_TLS_CLIENT_KEY_DATA": "K"]).error()
        == .incompleteClientCertificate(
          present: "client key", presentSource: .environment("TEMPORAL_TLS_CLIENT_KEY_DATA"),
          missing: "client certificate"))
    #expect(
      ConnectionFixture(environment: ["TEMPORAL_TLS_CLIENT_KEY_DATA": "K"]).error(
        .with { $0.tlsCertPath = "/c.pem" })
        == .mixedClientCertificateForms(
          certificate: .flag("--tls-cert-path"), key: .environment("TEMPORAL_TLS_CLIENT_KEY_DATA")))
  }
}
