import Foundation
import SalvageFakes
import Testing

/// Bad input gets one line on stderr and a documented exit code, and loses nothing journaled.
@Suite(.tags(.integration)) struct BadInputTests {
  /// Each bad command, its exit status, and its whole message (the line after `salvage: `, with
  /// JOURNAL for the journal's path; a usage error, 64, then points to `salvage help`).
  static let cases: [(arguments: [String], status: Int32, message: String)] = [
    (
      ["open", "--deployment", "orders", "--bad-build", "", "--good-build", "v1"], 64,
      "bad build id is empty"
    ),
    (
      ["open", "--deployment", "orders", "--bad-build", "v 2\n", "--good-build", "v1"], 64,
      "bad build id 'v 2\\n' is malformed: it contains a control character"
    ),
    (
      ["open", "--deployment", "or:ders", "--bad-build", "v2", "--good-build", "v1"], 64,
      "deployment name 'or:ders' is malformed: it must not contain '.' or ':'"
    ),
    (
      ["open", "--deployment", "orders", "--bad-build", "v2\"rc", "--good-build", "v1"], 64,
      "bad build id 'v2\"rc' cannot be used: Temporal's visibility queries cannot match a double "
        + "quote in it, so salvage would find none of its Workflows; recover this one by hand"
    ),
    (
      ["open", "--deployment", "or\\ders", "--bad-build", "v2", "--good-build", "v1"], 64,
      "deployment name 'or\\ders' cannot be used: Temporal's visibility queries cannot match a "
        + "backslash in it, so salvage would find none of its Workflows; recover this one by hand"
    ),
    (
      ["open", "--deployment", "orders", "--bad-build", "v1", "--good-build", "v1"], 64,
      "bad build and good build are both 'v1'"
    ),
    (
      [
        "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident",
        "inc-1",
      ], 3, "incident inc-1 already exists in JOURNAL"
    ),
    (
      [
        "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident",
        "bad id",
      ], 64,
      "incident id 'bad id' is malformed: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
    ),
    (["status", "--incident", "nope"], 3, "no incident nope in JOURNAL (it has: inc-1)"),
    (["note", ""], 64, "note is empty"),
    (["note", "x", "--operator", ""], 64, "operator name is empty"),
    (
      ["log", "--output", "yaml"], 64,
      "The value 'yaml' is invalid for '--output <output>'. Please provide one of 'text', 'json' or 'jsonl'."
    ),
    (["frobnicate"], 64, "Unexpected argument 'frobnicate'"),
    // Bad connection configuration is refused before anything is journaled (no lease, no action)
    (
      ["run", "--yes", "--profile", "prod"], 64,
      "profile 'prod' is not in the default config file (HOME unset or XDG_CONFIG_HOME relative), which does not exist"
    ),
    (
      ["stop", "--yes", "--address", "localhost"], 64,
      "the address 'localhost' (from --address) has no port: write localhost:7233"
    ),
    (
      [
        "run", "--yes", "--address", "127.0.0.1:1", "--tls-cert-path", "/nonexistent/c.pem",
        "--tls-key-path",
        "/nonexistent/k.pem",
      ], 64,
      "cannot read the TLS client certificate file /nonexistent/c.pem: No such file or directory"
    ),
    (
      ["run", "--yes", "--grpc-meta", "no-equals-sign"], 64,
      "--grpc-meta value 1 has no '=': write KEY=VALUE"
    ),
    (
      ["run", "--yes", "--rps", "0"], 64,
      "--rps must be a number of calls a second above 0 and at most 10000"
    ),
    // --output is text or json (JSON Lines), nothing else
    (
      ["stop", "--dry-run", "--output", "yaml"], 64,
      "The value 'yaml' is invalid for '--output <output>'. Please provide one of 'text' and 'json'."
    ),
    // Numbers are finite and in range, never a trap further down
    (
      ["run", "--yes", "--rps", "nan"], 64,
      "--rps must be a number of calls a second above 0 and at most 10000"
    ),
    (
      ["run", "--yes", "--rps", "inf"], 64,
      "--rps must be a number of calls a second above 0 and at most 10000"
    ),
    (
      ["run", "--yes", "--rps", "1e17"], 64,
      "--rps must be a number of calls a second above 0 and at most 10000"
    ),
    (
      ["run", "--yes", "--poller-wait", "inf"], 64,
      "--poller-wait must be a number of seconds from 0 to 86400"
    ),
    (
      ["drain", "--yes", "--poller-wait", "nan"], 64,
      "--poller-wait must be a number of seconds from 0 to 86400"
    ),
    (
      ["clean-up", "--yes", "--poller-wait=-1"], 64,
      "--poller-wait must be a number of seconds from 0 to 86400"
    ),
    (
      ["clean-up", "--yes", "--poller-wait", "1e17"], 64,
      "--poller-wait must be a number of seconds from 0 to 86400"
    ),
    // Names: non-empty, no control character, no white space at an end, not too long
    (["stop", "--yes", "--namespace", ""], 64, "namespace is empty"),
    (
      ["stop", "--yes", "--namespace", " prod"], 64,
      "namespace ' prod' is malformed: leading or trailing white space"
    ),
    (
      ["recover", "--yes", "--namespace", "prod\u{7}"], 64,
      "namespace 'prod\\u{7}' is malformed: it contains a control character"
    ),
    (
      ["identify", "--yes", "--namespace", String(repeating: "n", count: 256)], 64,
      "namespace is malformed: longer than 255 characters"
    ),
    (
      ["decide", "--type", "T", "--restartable", "--target-build", " x"], 64,
      "target build id ' x' is malformed: leading or trailing white space"
    ),
    (
      ["decide", "--type", "T", "--no-restartable", "--target-build", ""], 64,
      "target build id is empty"
    ),
    (
      ["decide", "--type", " T", "--restartable"], 64,
      "workflow type ' T' is malformed: leading or trailing white space"
    ),
    (
      ["decide", "--type", "T\n", "--restartable"], 64,
      "workflow type 'T\\n' is malformed: it contains a control character"
    ),
    (
      ["decide", "--type", String(repeating: "t", count: 1001), "--restartable"], 64,
      "workflow type is malformed: longer than 1000 characters"
    ),
    (
      ["decide", "--type", "T", "--restartable", "--rationale", "one\ntwo"], 64,
      "rationale 'one\\ntwo' is malformed: it contains a control character"
    ),
    // Closed statuses: choosable ones only, never ContinuedAsNew
    (
      ["decide", "--type", "T", "--restartable", "--closed-statuses", "Failed,ContinuedAsNew"], 64,
      "ContinuedAsNew is never a target: its work goes on in the run it continued as"
    ),
    (
      ["decide", "--type", "T", "--restartable", "--closed-statuses", "Running"], 64,
      "Running is not a closed status: choose from Failed, TimedOut, Completed, Terminated, Canceled"
    ),
    (
      ["decide", "--type", "T", "--restartable", "--closed-statuses", "Failed,Done"], 64,
      "unknown closed status 'Done': choose from Failed, TimedOut, Completed, Terminated, Canceled"
    ),
    (
      ["decide", "--type", "T", "--restartable", "--closed-statuses", " "], 64,
      "choose at least one closed status: Failed, TimedOut, Completed, Terminated, Canceled"
    ),
    (
      ["run", "--yes", "--replay-safe-build", "v3\t"], 64,
      "replay-safe build id 'v3\\t' is malformed: it contains a control character"
    ),
    (
      ["run", "--yes", "--restartable-attribute", "1x"], 64,
      "search attribute name '1x' is malformed: use letters, digits and '_'"
    ),
    (
      ["run", "--yes", "--tls-server-name", "a\nb"], 64,
      "--tls-server-name 'a\\nb' is malformed: it contains a control character"
    ),
    (
      ["run", "--yes", "--address", " localhost:7233"], 64,
      "--address ' localhost:7233' is malformed: leading or trailing white space"
    ),
    (["run", "--yes", "--profile", ""], 64, "--profile is empty"),
    (
      ["run", "--yes", "--api-key", "secret\n"], 64,
      "--api-key is malformed: empty, a control character, or white space at an end"
    ),
    (
      ["run", "--yes", "--grpc-meta", "k=v\r"], 64,
      "--grpc-meta is malformed: empty, a control character, or white space at an end"
    ),
  ]

  @Test(arguments: cases.indices)
  func badInputIsOneLineWithADocumentedCodeAndTouchesNothing(index: Int) async throws {
    let (arguments, status, message) = Self.cases[index]
    // Given a journal with an incident and a note
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "keep me")
    let before = try await fixture.rawLog()
    // When the bad command runs
    let result = try await SalvageProcess.run(arguments, environment: fixture.environment)
    // Then it fails with one clear line and the documented code
    #expect(result.status == status, "\(arguments): \(result.stderr)")
    let line =
      message.replacingOccurrences(of: "JOURNAL", with: fixture.journal)
      + (status == 64 ? " (see 'salvage help')" : "")
    #expect(result.stderr == "salvage: \(line)\n")
    #expect(result.stdout.isEmpty)
    // And the journal is exactly as it was
    #expect(try await fixture.rawLog() == before)
    #expect(try await fixture.salvage("verify").status == 0)
  }

  @Test(arguments: ["inf", "-inf", "nan", "1e17", "0", "-5", "abc", "86401"])
  func aBadLeaseDurationIsOneLineAndExit64NotATrap(value: String) async throws {
    // Given a journal with an incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let before = try await fixture.rawLog()
    // When a run is started with a lease duration that is not a sane number of seconds
    let result = try await fixture.salvage(
      "run", "--yes", environment: ["SALVAGE_LEASE_SECONDS": value])
    // Then it is refused in one line with exit 64, and nothing is journaled (no lease taken)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(
      result.stderr
        == "salvage: SALVAGE_LEASE_SECONDS must be a number of seconds from 1 to 86400, not '\(value)' (see 'salvage help')\n"
    )
    #expect(try await fixture.rawLog() == before)
  }

  static let badPolicies: [(json: String, message: String)] = [
    (
      #"{"workflowTypes": {" Orders": {"restartable": true}}}"#,
      "workflow type ' Orders' is malformed: leading or trailing white space"
    ),
    (
      #"{"workflowTypes": {"Orders": {"restartable": true, "targetBuild": "v3 "}}}"#,
      "target build id 'v3 ' is malformed: leading or trailing white space"
    ),
    (
      #"{"workflowTypes": {"Orders": {"restartable": false, "targetBuild": "v\u0000"}}}"#,
      "target build id 'v\\u{0}' is malformed: it contains a control character"
    ),
    (
      #"{"workflowTypes": {"Orders": {"restartable": true, "rationale": "a\nb"}}}"#,
      "rationale 'a\\nb' is malformed"
    ),
    (#"{"workflowTypes": {"": {"restartable": true}}}"#, "workflow type is empty"),
    (#"{"workflowTypes": {"Orders": {"restartable": 1e400}}}"#, "is not a valid decision policy"),
    (
      #"{"workflowTypes": {"Orders": {"restartable": true, "closedStatuses": ["ContinuedAsNew"]}}}"#,
      "ContinuedAsNew is never a target"
    ),
  ]

  @Test(arguments: badPolicies.indices)
  func aPolicyFileWithAMalformedNameIsRefusedBeforeAnythingIsRecorded(index: Int) async throws {
    // Given a journal with an incident, and a policy file with one malformed entry
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let before = try await fixture.rawLog()
    let file = fixture.directory.path("policy.json")
    try Data(Self.badPolicies[index].json.utf8).write(to: URL(fileURLWithPath: file))
    // When a decision is taken from it
    let result = try await fixture.salvage("decide", "--policy", file, "--type", "Orders")
    // Then it is refused in one line naming the file and what is wrong, with exit 64
    #expect(result.status == 64, "\(result.stderr)")
    #expect(
      result.stderr.hasPrefix("salvage: policy file policy.json is not a valid decision policy: "))
    #expect(result.stderr.contains(Self.badPolicies[index].message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(try await fixture.rawLog() == before)
  }

  @Test func aMalformedProfileFileIsOneLineNamingTheFileAndTouchesNothing() async throws {
    // Given a journal with an incident, and a profile file that is not TOML
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let before = try await fixture.rawLog()
    let file = fixture.directory.url.appendingPathComponent("temporal.toml")
    try Data("[profile.default\naddress = ".utf8).write(to: file)
    // When a run is asked to use it
    let result = try await SalvageProcess.run(
      ["run", "--yes"],
      environment: fixture.environment.merging(["TEMPORAL_CONFIG_FILE": file.path]) { $1 })
    // Then it is refused with exit 64, one line naming the file, and the journal is as it was
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains(file.path))
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(try await fixture.rawLog() == before)
  }

  @Test func aJournalThatIsNotSQLiteIsRefusedAndNotOverwritten() async throws {
    let fixture = try CLIFixture()
    let notes = Data("on-call notes\n".utf8)
    try notes.write(to: URL(fileURLWithPath: fixture.journal))
    let result = try await fixture.salvage(
      "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1")
    #expect(result.status == 4)
    #expect(
      result.stderr
        == "salvage: \(fixture.journal) is not an SQLite database, so not a salvage journal\n")
    #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.journal)) == notes)
  }

  @Test func aMissingJournalIsReportedAndNotCreated() async throws {
    let fixture = try CLIFixture()
    let result = try await fixture.salvage("status")
    #expect(result.status == 4)
    #expect(
      result.stderr
        == "salvage: no journal at \(fixture.journal) (start one with 'salvage open', or pass --journal)\n"
    )
    #expect(!FileManager.default.fileExists(atPath: fixture.journal))
  }

  @Test func aDirectoryGivenAsTheJournalIsUnreadable() async throws {
    let fixture = try CLIFixture()
    let result = try await fixture.salvage("status", "--journal", fixture.directory.url.path)
    #expect(result.status == 4)
    #expect(
      result.stderr
        == "salvage: cannot open journal \(fixture.directory.url.path): not a regular file\n")
  }
}
