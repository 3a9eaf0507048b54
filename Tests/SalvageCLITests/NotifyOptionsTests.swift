import ArgumentParser
import Foundation
import SalvageCore
import SalvageFakes
import SalvageTemporal
import Testing

@testable import SalvageCLI

/// Where notifications go: `--notify`, else `SALVAGE_NOTIFY_URL`, else the profile's
/// `salvage.notify_url`; a malformed address is refused without ever being repeated.
@Suite struct NotifyOptionsTests {
  static let flag = "https://hooks.example.com/services/T0/B0/fromTheFlag00001"
  static let variable = "https://hooks.example.com/services/T0/B0/fromTheVariable1"
  static let inProfile = "https://hooks.example.com/services/T0/B0/fromTheProfile01"

  /// A resolved connection whose profile names `url`.
  static func profile(_ url: String?) -> ResolvedConnection {
    var connection = ResolvedConnection()
    connection.notifyURL = url.map(Secret.init)
    return connection
  }

  @Test(
    "The flag wins over the variable, the variable over the profile",
    arguments: [
      ([flag], [variable], inProfile, flag),
      ([], [variable], inProfile, variable),
      ([], [], inProfile, inProfile),
      ([], [""], inProfile, inProfile),
    ] as [([String], [String], String, String)])
  func theFlagWinsOverTheVariableTheVariableOverTheProfile(
    flag: [String], variable: [String], profile: String, expected: String
  ) throws {
    // Given the webhook in some of the three places
    let options = try NotifyOptions.parse(flag.flatMap { ["--notify", $0] })
    let environment = variable.first.map { ["SALVAGE_NOTIFY_URL": $0] } ?? [:]
    // When the address is resolved
    let address = try options.address(environment) { Self.profile(profile) }
    // Then the first place that names one wins
    #expect(address?.url.absoluteString == expected)
  }

  @Test("Without a flag, a variable or a profile key, there is no webhook")
  func withoutAnyThereIsNoWebhook() throws {
    let options = try NotifyOptions.parse([])
    #expect(try options.address([:]) { Self.profile(nil) } == nil)
  }

  @Test("The profile's key is read from salvage's own table of the profile, and counts as a secret")
  func theProfilesKeyIsReadFromSalvagesOwnTable() throws {
    // Given a profile file with a [profile.default.salvage] table
    let file = """
      [profile.default]
      address = "localhost:7233"
      [profile.default.salvage]
      notify_url = "\(Self.inProfile)"
      """
    // When the connection is resolved
    var flags = ConnectionFlags()
    flags.configFile = "/config.toml"
    let resolved = try ConnectionResolver(environment: [:], readFile: { _ in file }).resolve(flags)
    // Then the address is the profile's, a secret the scrubbers mask
    #expect(resolved.notifyURL?.revealed == Self.inProfile)
    #expect(resolved.secrets.contains(Self.inProfile))
  }

  @Test(
    "A malformed address is refused with exit 64 and never repeated", .tags(.integration),
    arguments: ["hushhush-not-a-url", "ftp://hooks.example.com/hushhush", "https:///hushhush"])
  func aMalformedAddressIsRefusedAndNeverRepeated(bad: String) async throws {
    // Given a journal with an incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When a run is given the address by the flag, then by the variable
    let byFlag = try await fixture.salvage("run", "--yes", "--notify", bad)
    let byVariable = try await fixture.salvage(
      "run", "--yes", "--disable-config-file", environment: ["SALVAGE_NOTIFY_URL": bad])
    // Then both exit 64 naming where it came from, and neither shows it
    #expect(byFlag.status == 64)
    #expect(byFlag.stderr.contains("--notify is not an http or https address with a host"))
    #expect(byVariable.status == 64)
    #expect(byVariable.stderr.contains("SALVAGE_NOTIFY_URL is not an http or https address"))
    for result in [byFlag, byVariable] {
      #expect(!(result.stderr + result.stdout).contains("hushhush"))
    }
    #expect(!(try await fixture.rawLog()).contains("hushhush"))
  }
}
