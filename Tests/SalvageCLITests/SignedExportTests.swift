import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// Exports are signed (Ed25519, with a key kept 0600 beside the journal): only the handoff's
/// export continues an incident, an edited export is refused, and `--trust-key` pins the sender.
@Suite(.tags(.integration)) struct SignedExportTests {
  /// Alice's incident, handed to bob by export (`to-bob.jsonl`).
  func handedOff() async throws -> (CLIFixture, String) {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "first note")
    let file = fixture.directory.path("to-bob.jsonl")
    let handoff = try await fixture.salvage("handoff", "--to", "bob", "--export", file)
    #expect(handoff.status == 0, "\(handoff.stderr)")
    return (fixture, file)
  }

  /// The JSON object of every line of an export file, header first.
  func lines(_ file: String) throws -> [[String: Any]] {
    try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test func aPlainExportOfASealedJournalImportsAsAReadOnlyCopy() async throws {
    // Given alice's incident, sealed in her journal by a handoff by export
    let (fixture, _) = try await handedOff()
    // When she later makes a plain export of it (for the postmortem, say) and bob imports that
    let later = fixture.directory.path("postmortem.jsonl")
    #expect(try await fixture.salvage("export", "--out", later).status == 0)
    let other = fixture.directory.path("bob.sqlite")
    let imported = try await fixture.salvage("import", later, "--journal", other)
    // Then it is a read-only copy there, not a journal that drives the incident
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("It is a read-only copy"), "\(imported.stdout)")
    #expect(
      try await fixture.salvage("status", "--journal", other).stdout.contains(
        "custody     a read-only copy of \(later)"))
  }

  @Test func anExportEditedWithItsHashesRecomputedIsRefusedAndNothingIsImported() async throws {
    // Given a plain export
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "first note")
    let file = fixture.directory.path("inc-1.jsonl")
    #expect(try await fixture.salvage("export", "--out", file).status == 0)
    // When someone edits a note in it and recomputes every hash and the header's last hash
    let export = try IncidentExport.read(try String(contentsOfFile: file, encoding: .utf8))
    var previous = EventHash.genesis
    var hashes: [String] = []
    for event in export.events {
      let text = String(decoding: event.payload, as: UTF8.self)
        .replacingOccurrences(of: "first note", with: "first n0te")
      let edited = StoredEvent(
        position: event.position, eventID: event.eventID, incident: event.incident,
        version: event.version, type: event.type, schemaVersion: event.schemaVersion,
        payload: Data(text.utf8), recordedAt: event.recordedAt, actor: event.actor, hash: Data())
      previous = EventHash.chain(previous: previous, edited)
      hashes.append(previous.map { String(format: "%02x", $0) }.joined())
    }
    var objects = try lines(file)
    objects[0]["lastHash"] = hashes.last
    for index in hashes.indices {
      objects[index + 1]["hash"] = hashes[index]
      objects[index + 1]["payload"] = (objects[index + 1]["payload"] as? String)?
        .replacingOccurrences(of: "first note", with: "first n0te")
    }
    let text = try objects.map {
      String(
        decoding: try JSONSerialization.data(withJSONObject: $0, options: .sortedKeys),
        as: UTF8.self)
    }.joined(separator: "\n")
    try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: file))
    // Then importing it is refused whole with exit 2: its signature does not match
    let target = fixture.directory.path("other.sqlite")
    let result = try await fixture.salvage("import", file, "--journal", target)
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("signature"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: target))
  }

  @Test func theSigningKeyIsKeptPrivateBesideTheJournalAndOnlyItsPublicHalfTravels() async throws {
    // Given alice's handoff by export
    let (fixture, file) = try await handedOff()
    // Then a key was made beside the journal, 0600, with its public half beside it
    let key = fixture.journal + ".key"
    let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(publicKey.hasPrefix("ed25519:"))
    // And the export names that public key and ends with a signature, and holds no private key
    let objects = try lines(file)
    #expect(objects[0]["publicKey"] as? String == publicKey)
    #expect(objects[0]["purpose"] as? String == "handoff")
    #expect(objects.last?["kind"] as? String == "signature")
    let privateText = try String(contentsOfFile: key, encoding: .utf8)
    let secret = try #require(privateText.split(separator: " ").last)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(!secret.isEmpty)
    #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains(secret))
    #expect(!(try await fixture.rawLog()).contains(secret))
  }

  @Test func importWithTrustKeyTakesOnlyAnExportThatKeySigned() async throws {
    // Given alice's handoff by export, and carol's unrelated journal with its own key
    let (fixture, file) = try await handedOff()
    let carols = fixture.directory.path("carol.sqlite")
    try await fixture.openIncident("carols", "--journal", carols)
    #expect(
      try await fixture.salvage(
        "export", "--journal", carols, "--out", fixture.directory.path("carol.jsonl")
      ).status == 0)
    // When bob imports alice's file trusting only carol's key
    let bobs = fixture.directory.path("bob.sqlite")
    let refused = try await fixture.salvage(
      "import", file, "--journal", bobs, "--trust-key", carols + ".key.pub")
    // Then it is refused with exit 2, naming both keys, and nothing is imported
    #expect(refused.status == 2, "\(refused.stderr)")
    let alices = try String(contentsOfFile: fixture.journal + ".key.pub", encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(refused.stderr.hasPrefix("salvage: \(file): signed by \(alices), not by the key in "))
    #expect(!FileManager.default.fileExists(atPath: bobs))
    // When he trusts alice's key, then it continues the incident there, the signer recorded
    let taken = try await fixture.salvage(
      "import", file, "--journal", bobs, "--trust-key", fixture.journal + ".key.pub")
    #expect(taken.status == 0, "\(taken.stderr)")
    #expect(taken.stdout.contains("It was handed over to this journal"))
    #expect(
      try await fixture.salvage("log", "--journal", bobs).stdout.contains(
        "signed by \(alices), the trusted key"))
  }

  @Test func anUnsignedExportIsAtMostACopyAndRefusedUnderTrustKey() async throws {
    // Given an export in the unsigned format of older salvage, ending with a handoff seal
    let (fixture, file) = try await handedOff()
    let export = try IncidentExport.read(try String(contentsOfFile: file, encoding: .utf8))
    let unsigned = fixture.directory.path("unsigned.jsonl")
    try Data(try export.jsonLines().utf8).write(to: URL(fileURLWithPath: unsigned))
    // When bob imports it, then it is a read-only copy, however it ends
    let bobs = fixture.directory.path("bob.sqlite")
    let copy = try await fixture.salvage("import", unsigned, "--journal", bobs)
    #expect(copy.status == 0, "\(copy.stderr)")
    #expect(copy.stdout.contains("It is a read-only copy"))
    // And with --trust-key it is refused
    let refused = try await fixture.salvage(
      "import", unsigned, "--journal", fixture.directory.path("carol.sqlite"), "--trust-key",
      fixture.journal + ".key.pub")
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("is not signed"), "\(refused.stderr)")
  }

  @Test func theHandoffExportCanBeWrittenAgainAsItWas() async throws {
    // Given alice's handoff by export, and a note she took after it
    let (fixture, file) = try await handedOff()
    #expect(try await fixture.salvage("note", "bob has it").status == 0)
    // When she writes the handoff's export again (the first copy was lost, say)
    let again = fixture.directory.path("again.jsonl")
    let result = try await fixture.salvage("export", "--handoff", "--out", again)
    // Then it is the same file up to its signature (Ed25519 may sign with randomness), the events
    // up to the seal, and it continues the incident where it is imported
    #expect(result.status == 0, "\(result.stderr)")
    func signed(_ path: String) throws -> [Substring] {
      try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropLast()
    }
    #expect(try signed(again) == (try signed(file)))
    let imported = try await fixture.salvage(
      "import", again, "--journal", fixture.directory.path("bob.sqlite"))
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("It was handed over to this journal"))
    // And an incident that was not sealed has no handoff export to write
    let other = try CLIFixture()
    try await other.openIncident()
    let refused = try await other.salvage(
      "export", "--handoff", "--out", other.directory.path("x.jsonl"))
    #expect(refused.status == 3)
    #expect(
      refused.stderr
        == "salvage: incident inc-1 was not handed off by export here: 'salvage export' writes a read-only copy\n"
    )
  }
}
