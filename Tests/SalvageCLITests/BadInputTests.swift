import Foundation
import SalvageTestSupport
import Testing

/// Bad input gets one line on stderr and a documented exit code, and loses nothing journaled.
@Suite(.tags(.integration)) struct BadInputTests {
  static let cases: [(arguments: [String], status: Int32, message: String)] = [
    (["open", "--deployment", "orders", "--bad-build", "", "--good-build", "v1"], 64, "bad build id is empty"),
    (["open", "--deployment", "orders", "--bad-build", "v 2\n", "--good-build", "v1"], 64, "malformed"),
    (["open", "--deployment", "or:ders", "--bad-build", "v2", "--good-build", "v1"], 64, "must not contain"),
    (["open", "--deployment", "orders", "--bad-build", "v1", "--good-build", "v1"], 64, "both 'v1'"),
    (["open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident", "inc-1"], 3, "already exists"),
    (["open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1", "--incident", "bad id"], 64, "malformed"),
    (["status", "--incident", "nope"], 3, "no incident nope"),
    (["note", ""], 64, "note is empty"),
    (["note", "x", "--operator", ""], 64, "operator name is empty"),
    (["log", "--output", "yaml"], 64, "yaml"),
    (["frobnicate"], 64, "frobnicate"),
    // Bad connection configuration is refused before anything is journaled (no lease, no action)
    (["run", "--yes", "--profile", "prod"], 64, "profile 'prod' is not in"),
    (["stop", "--yes", "--address", "localhost"], 64, "has no port"),
    (["run", "--yes", "--address", "127.0.0.1:1", "--tls-cert-path", "/nonexistent/c.pem", "--tls-key-path",
      "/nonexistent/k.pem"], 64, "/nonexistent/"),
    (["run", "--yes", "--grpc-meta", "no-equals-sign"], 64, "grpc"),
    (["run", "--yes", "--rps", "0"], 64, "--rps"),
  ]

  @Test(arguments: cases.indices)
  func badInputIsOneLineWithADocumentedCodeAndTouchesNothing(index: Int) throws {
    let (arguments, status, message) = Self.cases[index]
    // Given a journal with an incident and a note
    let fixture = try CLIFixture()
    try fixture.openIncident()
    try fixture.salvage("note", "keep me")
    let before = try fixture.rawLog()
    // When the bad command runs
    let result = try SalvageProcess.run(arguments, environment: fixture.environment)
    // Then it fails with one clear line and the documented code
    #expect(result.status == status, "\(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("salvage: "))
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(result.stdout.isEmpty)
    // And the journal is exactly as it was
    #expect(try fixture.rawLog() == before)
    #expect(try fixture.salvage("verify").status == 0)
  }

  @Test func aMalformedProfileFileIsOneLineNamingTheFileAndTouchesNothing() throws {
    // Given a journal with an incident, and a profile file that is not TOML
    let fixture = try CLIFixture()
    try fixture.openIncident()
    let before = try fixture.rawLog()
    let file = fixture.directory.url.appendingPathComponent("temporal.toml")
    try Data("[profile.default\naddress = ".utf8).write(to: file)
    // When a run is asked to use it
    let result = try SalvageProcess.run(
      ["run", "--yes"], environment: fixture.environment.merging(["TEMPORAL_CONFIG_FILE": file.path]) { $1 })
    // Then it is refused with exit 64, one line naming the file, and the journal is as it was
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains(file.path))
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(try fixture.rawLog() == before)
  }

  @Test func aJournalThatIsNotSQLiteIsRefusedAndNotOverwritten() throws {
    let fixture = try CLIFixture()
    let notes = Data("on-call notes\n".utf8)
    try notes.write(to: URL(fileURLWithPath: fixture.journal))
    let result = try fixture.salvage(
      "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1")
    #expect(result.status == 4)
    #expect(result.stderr == "salvage: \(fixture.journal) is not an SQLite database, so not a salvage journal\n")
    #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.journal)) == notes)
  }

  @Test func aMissingJournalIsReportedAndNotCreated() throws {
    let fixture = try CLIFixture()
    let result = try fixture.salvage("status")
    #expect(result.status == 4)
    #expect(result.stderr.contains("no journal at \(fixture.journal)"))
    #expect(!FileManager.default.fileExists(atPath: fixture.journal))
  }

  @Test func aDirectoryGivenAsTheJournalIsUnreadable() throws {
    let fixture = try CLIFixture()
    let result = try fixture.salvage("status", "--journal", fixture.directory.url.path)
    #expect(result.status == 4)
    #expect(result.stderr.contains("not a regular file"))
  }
}
