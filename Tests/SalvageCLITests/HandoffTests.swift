import Foundation
import SalvageFakes
import Testing

@Suite(.tags(.integration)) struct HandoffTests {
  @Test func aHandoffIsRecordedAndBriefsTheNextShift() async throws {
    // Given alice's incident with a note
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage(
      "note", "paged at 03:12; v2 fails every Workflow Task after the first")
    // When alice hands it to bob
    let result = try await fixture.salvage(
      "handoff", "--to", "bob", "--note", "policy file is in orders/ops")
    #expect(result.status == 0, "\(result.stderr)")
    // Then the brief says the phase, what is done, what is in doubt, decisions, the next command, notes
    let brief = result.stdout
    #expect(brief.hasPrefix("Handoff of incident inc-1 from alice to bob at "))
    #expect(brief.contains("Phase: opened"))
    #expect(brief.contains("Done (0 actions):"))
    #expect(brief.contains("In flight or in doubt: none"))
    #expect(brief.contains("Decisions pending: none"))
    #expect(brief.contains("Next: describe the deployment's routing\n  salvage run"))
    #expect(brief.contains("alice: paged at 03:12"))
    #expect(brief.contains("Handoff note: policy file is in orders/ops"))
    #expect(brief.contains("Times are UTC."))
    // And status shows who holds the incident now, and the log has the handoff
    #expect(try await fixture.salvage("status").stdout.contains("held by     bob"))
    #expect(
      try await fixture.salvage("log").stdout.contains(
        "HandedOff: handed off from alice to bob: policy file is in orders/ops"))
  }
}
