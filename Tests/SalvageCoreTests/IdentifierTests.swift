import SalvageCore
import SalvageFakes
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
    ("", "''"), ("-leading-dash", "'-leading-dash'"), ("has space", "'has space'"),
    ("slash/inside", "'slash/inside'"), ("quote'", "'quote''"), ("ünïcode", "'ünïcode'"),
    (String(repeating: "x", count: 65), "'" + String(repeating: "x", count: 65) + "'"),
    ("new\nline", "'new\\nline'"),
  ])
  func malformedIncidentIDsAreRefusedWithOneLine(text: String, shown: String) {
    // Given a malformed id, when it is parsed, then the one-line message quotes it and the rule
    #expect(
      throws: InputError(
        "incident id \(shown) is malformed: use 1 to 64 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit")
    ) { try IncidentID.parse(text) }
  }

  @Test func aDerivedIncidentIDIsValidEvenFromAnAwkwardDeploymentName() {
    let time = UTCTime(millisecondsSinceEpoch: 1_795_000_000_000)
    #expect(IncidentID.derived(from: "orders", at: time).rawValue == "orders-20261118T110640")
    #expect(
      IncidentID.derived(from: "__my deploy/é", at: time).rawValue == "my-deploy---20261118T110640")
    #expect(IncidentID.derived(from: "///", at: time).rawValue == "incident-20261118T110640")
  }

  @Test(arguments: [
    ("", "bad build id is empty"),
    (" v2", "bad build id ' v2' is malformed: leading or trailing white space"),
    ("v2 ", "bad build id 'v2 ' is malformed: leading or trailing white space"),
    ("v\n2", "bad build id 'v\\n2' is malformed: it contains a control character"),
    ("v\u{7}2", "bad build id 'v\\u{7}2' is malformed: it contains a control character"),
    (String(repeating: "b", count: 256), "bad build id is malformed: longer than 255 characters"),
  ])
  func malformedBuildIDsAreRefused(text: String, message: String) {
    #expect(throws: InputError(message)) { try TemporalNames.buildID(text, role: "bad") }
  }

  @Test(arguments: [
    ("orders.v2", "deployment name 'orders.v2' is malformed: it must not contain '.' or ':'"),
    ("orders:v2", "deployment name 'orders:v2' is malformed: it must not contain '.' or ':'"),
    ("", "deployment name is empty"),
    ("orders\t", "deployment name 'orders\\t' is malformed: it contains a control character"),
  ])
  func deploymentNamesWithVersionDelimitersOrBlanksAreRefused(text: String, message: String) {
    #expect(throws: InputError(message)) { try TemporalNames.deployment(text) }
  }

  @Test func ordinaryTemporalNamesAreAccepted() throws {
    #expect(try TemporalNames.deployment("orders-service_2") == "orders-service_2")
    #expect(try TemporalNames.buildID("2026.11.25-abc123", role: "good") == "2026.11.25-abc123")
    #expect(try TemporalNames.namespace("payments.prod") == "payments.prod")
  }
}
