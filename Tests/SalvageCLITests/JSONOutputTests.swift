import Foundation
import SalvageFakes
import Testing

/// `--output json` on every command that needs no server: one JSON document on stdout with the
/// documented keys, and errors as one JSON object on stderr with the unchanged exit status.
@Suite(.tags(.integration)) struct JSONOutputTests {
  /// The one JSON object `text` holds, or a test failure saying what it held instead.
  func object(_ text: String) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
      "not a JSON object: \(text)")
  }

  /// The first event of an object's `recorded` array.
  func firstRecorded(_ object: [String: Any]) throws -> [String: Any] {
    try #require((object["recorded"] as? [[String: Any]])?.first, "no recorded event in \(object)")
  }

  @Test func openStatusNoteDecideAndCloseEachPrintOneDocumentWithTheirKeys() async throws {
    let fixture = try CLIFixture()
    // Given an incident opened with --output json
    let opened = try object(
      try await fixture.salvage(
        "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident",
        "inc-1",
        "--output", "json"
      ).stdout)
    #expect(opened["incident"] as? String == "inc-1")
    #expect(opened["phase"] as? String == "opened")
    #expect(opened["badBuild"] as? String == "v2")
    // When a note, a decision and the closure are recorded with --output json
    let note = try object(
      try await fixture.salvage("note", "rolled back", "--output", "json").stdout)
    let decided = try object(
      try await fixture.salvage(
        "decide", "--type", "OrderWorkflow", "--restartable", "--rationale", "idempotent",
        "--output", "json"
      ).stdout)
    let closed = try object(
      try await fixture.salvage("close", "--reason", "false alarm", "--output", "json").stdout)
    // Then each names the incident and the event it recorded, payload included
    #expect(note["incident"] as? String == "inc-1")
    let noted = try firstRecorded(note)
    #expect(noted["type"] as? String == "NoteAdded")
    #expect(noted["version"] as? Int == 2)
    #expect(noted["actor"] as? String == "alice")
    #expect((noted["payload"] as? [String: Any])?["text"] as? String == "rolled back")
    #expect(try firstRecorded(decided)["type"] as? String == "StrategyDecided")
    let decision = try #require((decided["decisions"] as? [[String: Any]])?.first)
    #expect(decision["workflowType"] as? String == "OrderWorkflow")
    #expect(try firstRecorded(closed)["type"] as? String == "IncidentClosed")
    #expect(closed["phase"] as? String == "closed")
    // And status says so in JSON
    let status = try object(
      try await fixture.salvage("status", "--incident", "inc-1", "--output", "json").stdout)
    #expect((status["closed"] as? [String: Any])?["reason"] as? String == "false alarm")
    #expect(status["version"] as? Int == 4)
  }

  @Test func verifyHandoffImportAndConfigPrintOneDocumentWithTheirKeys() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When verify, handoff with an export, import elsewhere and config print JSON
    let verified = try object(try await fixture.salvage("verify", "--output", "json").stdout)
    let file = fixture.directory.path("handoff.jsonl")
    let handoff = try object(
      try await fixture.salvage(
        "handoff", "--to", "bob", "--note", "watch drainage", "--export", file, "--output", "json"
      )
      .stdout)
    let other = try CLIFixture()
    let imported = try object(try await other.salvage("import", file, "--output", "json").stdout)
    let config = try object(
      try await fixture.salvage(
        "config", "--address", "127.0.0.1:7233", "--disable-config-file", "--disable-config-env",
        "--output", "json",
        environment: ["TEMPORAL_API_KEY": "k-very-secret-api-key"]
      ).stdout)
    // Then each has its documented keys and values
    #expect(verified["intact"] as? Bool == true)
    #expect(verified["events"] as? Int == 1)
    #expect(handoff["incident"] as? String == "inc-1")
    #expect((handoff["handoff"] as? [String: Any])?["to"] as? String == "bob")
    #expect((handoff["status"] as? [String: Any])?["phase"] as? String == "opened")
    #expect(handoff["export"] as? String == file)
    #expect(imported["incident"] as? String == "inc-1")
    #expect(imported["mode"] as? String == "handed-over")
    #expect(imported["events"] as? Int == 2)
    #expect(try firstRecorded(imported)["type"] as? String == "IncidentImported")
    #expect(config["address"] as? String == "127.0.0.1:7233")
    #expect(config["namespace"] as? String == "default")
    #expect(config["apiKey"] == nil, "the variables were disabled")
    #expect((config["sources"] as? [String: Any])?["address"] as? String == "--address")
  }

  @Test func configJSONRedactsEverySecretAsTheTextDoes() async throws {
    // Given an API key, a gRPC header and inline client key data
    let fixture = try CLIFixture()
    let apiKey = "api-key-7f3c9a1e5b2d"
    let meta = "meta-value-0a9b8c7d6e"
    let key = "-----BEGIN PRIVATE KEY-----\nMIIkeydata1234567890\n-----END PRIVATE KEY-----"
    // When config prints JSON
    let result = try await fixture.salvage(
      "config", "--address", "127.0.0.1:7233", "--disable-config-file", "--grpc-meta",
      "x-tenant=\(meta)",
      "--tls-cert-data=-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----",
      "--tls-key-data=\(key)",
      "--output", "json", environment: ["TEMPORAL_API_KEY": apiKey])
    #expect(result.status == 0, "\(result.stderr)")
    let config = try object(result.stdout)
    // Then every secret shows only as its length, and no encoding of one is anywhere
    #expect(config["apiKey"] as? String == "<redacted, \(apiKey.utf8.count) bytes>")
    #expect(
      (config["grpcMeta"] as? [String: Any])?["x-tenant"] as? String
        == "<redacted, \(meta.utf8.count) bytes>")
    #expect(
      (config["tls"] as? [String: Any])?["clientKey"] as? String
        == "<redacted, \(key.utf8.count) bytes>")
    #expect((config["sources"] as? [String: Any])?["apiKey"] as? String == "TEMPORAL_API_KEY")
    SecretSearch.expectNone(
      of: [apiKey, meta, key], in: ["config --output json": result.stdout + result.stderr])
  }

  @Test func timelineTargetsAndExportPrintJSONOrSayWhatTheyWroteInJSON() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When timeline and targets print JSON to stdout, and timeline and export write files
    let timeline = try object(try await fixture.salvage("timeline", "--output", "json").stdout)
    let targets = try JSONSerialization.jsonObject(
      with: Data(try await fixture.salvage("targets", "--output", "json").stdout.utf8))
    let page = fixture.directory.path("timeline.html")
    let wrote = try object(
      try await fixture.salvage("timeline", "--format", "html", "--out", page, "--output", "json")
        .stdout)
    let exportFile = fixture.directory.path("inc-1.jsonl")
    let exported = try await fixture.salvage("export", "--out", exportFile, "--output", "json")
    // Then the timeline is its JSON (as --format json), the targets an empty list
    #expect(timeline["incident"] as? String == "inc-1")
    #expect(timeline["times"] as? String == "UTC")
    #expect((targets as? [Any])?.isEmpty == true)
    // And a file written is described: where, in which format, how many bytes
    #expect(wrote["out"] as? String == page)
    #expect(wrote["format"] as? String == "html")
    #expect(wrote["bytes"] as? Int == (try Data(contentsOf: URL(fileURLWithPath: page))).count)
    let note = try object(exported.stdout)
    #expect(note["format"] as? String == "jsonl")
    #expect(note["incident"] as? String == "inc-1")
    #expect(exported.stderr.isEmpty)
  }

  @Test func anErrorUnderOutputJSONIsOneJSONObjectOnStderrWithTheSameExitStatus() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When an unknown incident, an empty note and a --format that is not JSON on stdout are asked for
    let unknown = try await fixture.salvage("status", "--incident", "nope", "--output", "json")
    let empty = try await fixture.salvage("note", "  ", "--output", "json")
    let conflicting = try await fixture.salvage(
      "timeline", "--format", "markdown", "--output", "json")
    let unparsed = try await fixture.salvage("status", "--output", "json", "--no-such-flag")
    // Then each exits as documented, stdout empty, stderr one JSON object saying why
    let refusals = [
      (unknown, 3, "no incident nope in \(fixture.journal) (it has: inc-1)"),
      (empty, 64, "note is empty"),
      (
        conflicting, 64,
        "--output json prints JSON: drop --format markdown, or write the markdown to a file with --out"
      ),
      (unparsed, 64, "Unknown option '--no-such-flag'"),
    ]
    for (result, exit, message) in refusals {
      #expect(result.status == Int32(exit), "\(result.stderr)")
      #expect(result.stdout.isEmpty)
      let error = try object(result.stderr)
      #expect(error["exit"] as? Int == exit)
      #expect(error["error"] as? String == message)
    }
    // And without --output json the error stays a salvage: line
    let text = try await fixture.salvage("note", "  ")
    #expect(text.status == 64)
    #expect(text.stderr.hasPrefix("salvage: note is empty"))
  }

  @Test func aStepCommandAskedTooEarlyPrintsJSONLinesOfItsLeaseAndANotReadyOutcome() async throws {
    // Given an incident that is only opened
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When identify is asked for with --output json (no server is needed to refuse it)
    let result = try await fixture.salvage(
      "identify", "--output", "json", "--address", "127.0.0.1:1", "--disable-config-file",
      "--disable-config-env")
    // Then stdout is JSON Lines: the lease taken and let go, and the outcome, exit 3
    #expect(result.status == 3, "\(result.stderr)")
    let lines = try result.stdout.split(separator: "\n").map { try object(String($0)) }
    #expect(
      lines.map { $0["type"] as? String ?? $0["kind"] as? String } == [
        "LeaseAcquired", "LeaseReleased", "outcome",
      ])
    let outcome = try #require(lines.last)
    #expect(outcome["outcome"] as? String == "notReady")
    #expect(outcome["step"] as? String == "identify")
    #expect(outcome["exit"] as? Int == 3)
    #expect((outcome["error"] as? String)?.contains("run 'salvage stop'") == true)
    #expect(try object(result.stderr)["exit"] as? Int == 3)
  }
}
