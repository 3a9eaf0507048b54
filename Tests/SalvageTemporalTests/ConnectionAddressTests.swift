import SalvageTemporal
import Testing

/// Which server addresses salvage dials, and the default config file's location.
@Suite struct ConnectionAddressTests {
  @Test func anAddressWithoutAPortIsRefused() {
    #expect(
      ConnectionFixture().error(.with { $0.address = "localhost" })?.description
        == "the address 'localhost' (from --address) has no port: write localhost:7233")
    #expect(
      ConnectionFixture(environment: ["TEMPORAL_ADDRESS": "temporal.internal"]).error()
        == .invalidAddress(
          address: "temporal.internal", source: .environment("TEMPORAL_ADDRESS"),
          reason: "has no port: write temporal.internal:7233"))
  }

  @Test(arguments: [
    ("host:7233", "host", 7233), ("127.0.0.1:1", "127.0.0.1", 1), ("[::1]:7233", "::1", 7233),
    ("dns:///temporal.internal:7233", "temporal.internal", 7233), ("DNS:///h:65535", "h", 65535),
  ])
  func aDialableAddressGivesItsHostAndPort(address: String, host: String, port: Int) throws {
    let resolved = try ConnectionFixture().resolve(.with { $0.address = address })
    #expect(resolved.host == host && resolved.port == port)
  }

  @Test(arguments: [
    ("[::1]", "has no port: write [::1]:7233"),
    ("::1", "needs brackets around an IPv6 address: write [::1]:7233"),
    ("host:", "has no port after ':'"),
    (":7233", "has no host"),
    ("host:0", "has port 0, outside 1-65535"),
    ("host:65536", "has port 65536, outside 1-65535"),
    ("host:7233000000", "has port 72330000…, outside 1-65535"),
    ("host:http", "has a port that is not a number"),
    ("host:+80", "has a port that is not a number"),
    (
      "unix:///tmp/temporal.sock",
      "uses the gRPC scheme 'unix', which salvage does not support: write host:port"
    ),
    (
      "passthrough:///h:1",
      "uses the gRPC scheme 'passthrough', which salvage does not support: write host:port"
    ),
    (
      "dns://8.8.8.8/h:1",
      "names a DNS server (dns://server/…), which salvage does not support: write dns:///host:port"
    ),
    ("host :7233", "contains a space or a control character"),
  ])
  func anUndialableAddressIsRefusedWithItsReason(address: String, reason: String) {
    #expect(
      ConnectionFixture().error(.with { $0.address = address })
        == .invalidAddress(address: address, source: .flag("--address"), reason: reason))
  }

  @Test func theDefaultFileIsUnderXDGConfigHomeWhenSetElseUnderHome() throws {
    // Given only HOME, then ~/.config
    #expect(
      try ConnectionFixture().resolve().configFile == "/home/op/.config/temporalio/temporal.toml")
    // Given an absolute XDG_CONFIG_HOME, then under it, and its file is the one read
    var xdg = ConnectionFixture(environment: ["XDG_CONFIG_HOME": "/xdg/"])
    xdg.files["/xdg/temporalio/temporal.toml"] = "[profile.default]\nnamespace = \"from-xdg\"\n"
    #expect(try xdg.resolve().namespace == "from-xdg")
    #expect(xdg.requestedPaths == ["/xdg/temporalio/temporal.toml"])
    // Given an empty XDG_CONFIG_HOME, then ~/.config again
    #expect(
      try ConnectionFixture(environment: ["XDG_CONFIG_HOME": ""]).resolve().configFile
        == "/home/op/.config/temporalio/temporal.toml")
    // Given a relative XDG_CONFIG_HOME (Go's os.UserConfigDir fails), then no file is read at all
    let relative = ConnectionFixture(environment: ["XDG_CONFIG_HOME": "config"])
    #expect(try relative.resolve().configFile == nil)
    #expect(relative.requestedPaths.isEmpty)
  }

  @Test func theConfigFileFlagOverridesTheVariableWhichOverridesTheDefault() throws {
    var fixture = ConnectionFixture(environment: ["TEMPORAL_CONFIG_FILE": "/env.toml"])
    fixture.files["/env.toml"] = "[profile.default]\nnamespace = \"from-env-file\"\n"
    fixture.files["/flag.toml"] = "[profile.default]\nnamespace = \"from-flag-file\"\n"
    #expect(try fixture.resolve().namespace == "from-env-file")
    let resolved = try fixture.resolve(.with { $0.configFile = "/flag.toml" })
    #expect(
      resolved.namespace == "from-flag-file" && resolved.configFile == "/flag.toml"
        && resolved.configFileExists)
    // An empty TEMPORAL_CONFIG_FILE counts as unset
    #expect(
      try ConnectionFixture(environment: ["TEMPORAL_CONFIG_FILE": ""]).resolve().configFile
        == ConnectionFixture.defaultFile)
  }

  @Test func disablingTheFileReadsNoneAndDisablingTheEnvironmentKeepsOnlyFileAndProfileChoice()
    throws
  {
    // Given a file and variables
    var fixture = ConnectionFixture(
      file: "[profile.default]\nnamespace = \"file-ns\"\n",
      environment: ["TEMPORAL_NAMESPACE": "env-ns"])
    // With --disable-config-file, no file is read and the variable applies
    let noFile = try fixture.resolve(.with { $0.disableConfigFile = true })
    #expect(noFile.namespace == "env-ns" && noFile.configFile == nil && noFile.profile == nil)
    #expect(fixture.requestedPaths.isEmpty)
    // With --disable-config-env, the variable is ignored, but TEMPORAL_PROFILE still picks the profile
    fixture.files[ConnectionFixture.defaultFile]! += "[profile.prod]\nnamespace = \"prod-ns\"\n"
    fixture.environment["TEMPORAL_PROFILE"] = "prod"
    #expect(try fixture.resolve(.with { $0.disableConfigEnv = true }).namespace == "prod-ns")
    // With both, only the flags and the defaults remain
    let neither = try fixture.resolve(
      .with {
        $0.disableConfigFile = true
        $0.disableConfigEnv = true
      })
    #expect(neither.namespace == "default")
  }
}
