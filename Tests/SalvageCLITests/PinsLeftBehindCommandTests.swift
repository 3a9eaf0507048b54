import Foundation
import SalvageFakes
import Testing

/// `status` and the handoff brief list the pins salvage's recovery left, on the incident recorded
/// on a real dev server: 3 OrderWorkflow reset with a move, 3 PaymentWorkflow overridden to fixed,
/// 3 ReportWorkflow restarted, 5 closed runs reset.
@Suite(.tags(.integration)) struct PinsLeftBehindCommandTests {
  static let lines = [
    "  pinned      5 to build good by reset",
    "  pinned      3 to build fixed by override",
    "  pinned      3 to build good by reset-with-move",
    "  pinned      3 to build good by restart",
  ]

  @Test func statusListsEachPinByBuildAndHowInTextAndJSON() async throws {
    // Given the demo incident
    let fixture = try CLIFixture()
    #expect(try await fixture.salvage("import", TimelineGoldenTests.fixture).status == 0)
    // When its status is asked for
    let text = try await fixture.salvage("status").stdout
    let json = try await fixture.salvage("status", "--output", "json").stdout
    // Then the text has one line a pin, largest first, and says what a pin does
    let body = text.components(separatedBy: "\n")
    let first = try #require(body.firstIndex(of: Self.lines[0]))
    #expect(Array(body[first..<first + 4]) == Self.lines)
    #expect(body[first + 4].contains("keep these executions, their children and continued runs"))
    // And the JSON has the same pins
    let object = try #require(
      JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let pins = try #require(object["pinsLeftBehind"] as? [[String: Any]])
    #expect(pins.map { $0["executions"] as? Int } == [5, 3, 3, 3])
    #expect(pins.map { $0["build"] as? String } == ["good", "fixed", "good", "good"])
    #expect(
      pins.map { $0["done"] as? String } == ["reset", "override", "reset-with-move", "restart"])
  }

  @Test func theHandoffBriefListsThePinsForTheNextShift() async throws {
    // Given the demo incident, adopted so that this journal drives it
    let fixture = try CLIFixture()
    #expect(try await fixture.salvage("import", "--adopt", TimelineGoldenTests.fixture).status == 0)
    // When it is handed to the next shift
    let brief = try await fixture.salvage("handoff", "--to", "bob")
    // Then the brief lists the same pins
    #expect(brief.status == 0, "\(brief.stderr)")
    for line in Self.lines { #expect(brief.stdout.contains(line + "\n")) }
  }
}
