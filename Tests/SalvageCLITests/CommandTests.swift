import Foundation
import SalvageFakes
import Testing

@Suite(.tags(.integration)) struct CommandTests {
  @Test func anOperatorOpensAnIncidentNotesItAndReadsItBack() async throws {
    let fixture = try CLIFixture()
    // Given an incident opened by alice
    try await fixture.openIncident()
    // When bob adds a note
    let note = try await fixture.salvage(
      "note", "rolled back v2 at 03:12", environment: ["SALVAGE_OPERATOR": "bob"])
    #expect(note.status == 0)
    // Then status shows the incident, its phase and the note, in UTC
    let status = try await fixture.salvage("status")
    #expect(status.status == 0)
    #expect(
      status.stdout.contains("Incident inc-1: Bad rollout of orders: build v2 (good build v1)"))
    #expect(status.stdout.contains("phase       opened"))
    #expect(status.stdout.contains("UTC bob: rolled back v2 at 03:12"))
    // And the JSON status is shaped for scripts
    let json = try await fixture.salvage("status", "--output", "json")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["phase"] as? String == "opened")
    #expect(object["badBuild"] as? String == "v2")
    #expect(object["version"] as? Int == 2)
    #expect(object["noteCount"] as? Int == 1)
    #expect((object["recentNotes"] as? [[String: Any]])?.first?["by"] as? String == "bob")
  }

  @Test func theLogPrintsRawEventsAsTextJSONAndJSONLines() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "one")
    let text = try await fixture.salvage("log").stdout.split(separator: "\n")
    #expect(text.count == 2)
    #expect(text[0].hasPrefix("#1 inc-1 v1 "))
    #expect(text[1].hasSuffix("UTC alice NoteAdded: one"))
    let lines = try await fixture.salvage("log", "--output", "jsonl").stdout.split(separator: "\n")
    #expect(lines.count == 2)
    let second = try #require(
      try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
    #expect(second["type"] as? String == "NoteAdded")
    #expect((second["payload"] as? [String: Any])?["text"] as? String == "one")
    #expect((second["hash"] as? String)?.count == 64)
    let array =
      try JSONSerialization.jsonObject(
        with: Data(try await fixture.salvage("log", "--output", "json").stdout.utf8)) as? [Any]
    #expect(array?.count == 2)
  }

  @Test func aNoteWithEscapeSequencesAndLineBreaksPrintsVisiblyOnOneLineEverywhere() async throws {
    // Given a note that tries to colour the terminal and to fake a line of its own
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "\u{1B}[31mred\u{1B}[0m\r\nIncident inc-1 is cleaned.")
    // When status, the log and the handoff brief print it
    let outputs = await [
      try await fixture.salvage("status").stdout, try fixture.salvage("log").stdout,
      try await fixture.salvage("handoff", "--to", "bob").stdout,
    ]
    // Then the escapes show as text and the line break as ⏎, on the note's own line
    for output in outputs {
      #expect(!output.contains("\u{1B}"))
      #expect(output.contains("\\u{1b}[31mred\\u{1b}[0m ⏎ Incident inc-1 is cleaned."), "\(output)")
      #expect(
        !output.split(separator: "\n").contains { $0.hasPrefix("Incident inc-1 is cleaned.") })
    }
  }

  @Test func verifyPassesOnAHealthyJournalAndSaysWhatItChecked() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let result = try await fixture.salvage("verify")
    #expect(result.status == 0)
    #expect(result.stdout.contains("verifies: 1 events in 1 incident"))
  }

  @Test func closingAnIncidentLeavesNoOpenIncidentToDefaultTo() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    #expect(try await fixture.salvage("close", "--reason", "false alarm").status == 0)
    let status = try await fixture.salvage("status")
    #expect(status.status == 3)
    #expect(
      status.stderr
        == "salvage: no open incident in \(fixture.journal) (closed: inc-1); pass --incident\n")
    let explicit = try await fixture.salvage("status", "--incident", "inc-1")
    #expect(explicit.stdout.contains("phase       closed"))
  }

  @Test func withSeveralOpenIncidentsTheOperatorMustChooseOne() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident("inc-1")
    try await fixture.openIncident("inc-2", "--force")
    let result = try await fixture.salvage("note", "which one?")
    #expect(result.status == 3)
    #expect(
      result.stderr
        == "salvage: 2 open incidents in \(fixture.journal): inc-1, inc-2; choose one with --incident\n"
    )
    #expect(try await fixture.salvage("note", "this one", "--incident", "inc-2").status == 0)
  }
}
