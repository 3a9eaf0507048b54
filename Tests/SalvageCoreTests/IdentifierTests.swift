import SalvageCore
import SalvageTestSupport
import Testing

@Suite struct IdentifierTests {
  @Test func anEventIDIsAVersion7UUIDThatStartsWithItsMilliseconds() {
    // Given a seeded generator and a known time
    var generator = SeededGenerator(seed: 7)
    let time = UTCTime(millisecondsSinceEpoch: 0x0123_4567_89AB)
    // When an id is made
    let id = EventID.make(at: time, using: &generator).rawValue
    // Then it is lowercase 8-4-4-4-12 hex, version 7, RFC variant, time-prefixed
    #expect(id.count == 36)
    #expect(id.hasPrefix("01234567-89ab-7"))
    #expect(["8", "9", "a", "b"].contains(id[id.index(id.startIndex, offsetBy: 19)]))
    #expect(EventID(rawValue: id) != nil)
  }

  @Test func eventIDsMadeLaterSortLater() {
    var generator = SeededGenerator(seed: 1)
    let earlier = EventID.make(at: UTCTime(millisecondsSinceEpoch: 1000), using: &generator)
    let later = EventID.make(at: UTCTime(millisecondsSinceEpoch: 1001), using: &generator)
    #expect(earlier.rawValue < later.rawValue)
  }

  @Test(arguments: ["orders-1", "a", "A.b_c-9", String(repeating: "x", count: 64)])
  func wellFormedIncidentIDsAreAccepted(text: String) throws {
    #expect(try IncidentID.parse(text).rawValue == text)
  }

  @Test(arguments: [
    "", "-leading-dash", "has space", "slash/inside", "quote'", "ünïcode",
    String(repeating: "x", count: 65), "new\nline",
  ])
  func malformedIncidentIDsAreRefusedWithOneLine(text: String) {
    #expect(throws: InputError.self) { try IncidentID.parse(text) }
    do {
      _ = try IncidentID.parse(text)
    } catch {
      #expect(!error.message.contains("\n"))
    }
  }

  @Test func aDerivedIncidentIDIsValidEvenFromAnAwkwardDeploymentName() {
    let time = UTCTime(millisecondsSinceEpoch: 1_795_000_000_000)
    #expect(IncidentID.derived(from: "orders", at: time).rawValue == "orders-20261118T110640")
    #expect(
      IncidentID.derived(from: "__my deploy/é", at: time).rawValue == "my-deploy---20261118T110640")
    #expect(IncidentID.derived(from: "///", at: time).rawValue == "incident-20261118T110640")
  }

  @Test(arguments: ["", " v2", "v2 ", "v\n2", "v\u{7}2", String(repeating: "b", count: 256)])
  func malformedBuildIDsAreRefused(text: String) {
    #expect(throws: InputError.self) { try TemporalNames.buildID(text, role: "bad") }
  }

  @Test(arguments: ["orders.v2", "orders:v2", "", "orders\t"])
  func deploymentNamesWithVersionDelimitersOrBlanksAreRefused(text: String) {
    #expect(throws: InputError.self) { try TemporalNames.deployment(text) }
  }

  @Test func ordinaryTemporalNamesAreAccepted() throws {
    #expect(try TemporalNames.deployment("orders-service_2") == "orders-service_2")
    #expect(try TemporalNames.buildID("2026.11.25-abc123", role: "good") == "2026.11.25-abc123")
    #expect(try TemporalNames.namespace("payments.prod") == "payments.prod")
  }
}
