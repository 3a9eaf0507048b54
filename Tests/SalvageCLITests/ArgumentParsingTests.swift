import ArgumentParser
import SalvageCore
import Testing

@testable import SalvageCLI

@Suite struct ArgumentParsingTests {
  @Test func openTakesEveryOptionTheIssueNames() throws {
    let command = try SalvageCommand.parseAsRoot([
      "open", "--deployment", "orders", "--bad-build", "v2", "--good-build", "v1",
      "--namespace", "payments", "--incident", "inc-7", "--title", "Orders v2 broke",
      "--journal", "/tmp/j.sqlite", "--operator", "alice",
    ])
    let open = try #require(command as? SalvageCommand.Open)
    #expect(open.deployment == "orders")
    #expect(open.badBuild == "v2")
    #expect(open.goodBuild == "v1")
    #expect(open.namespace == "payments")
    #expect(open.title == "Orders v2 broke")
    #expect(open.journal.incident == "inc-7")
    #expect(open.journal.journal == "/tmp/j.sqlite")
    #expect(open.journal.operatorName == "alice")
  }

  @Test func theNamespaceDefaultsToDefault() throws {
    let command = try SalvageCommand.parseAsRoot([
      "open", "--deployment", "d", "--bad-build", "b", "--good-build", "g",
    ])
    #expect((command as? SalvageCommand.Open)?.namespace == "default")
  }

  @Test func openWithoutABadBuildIsAUsageError() {
    // Given open without --bad-build, when it is parsed, then it exits 64 naming the option
    #expect(
      ParseFailure(["open", "--deployment", "d", "--good-build", "g"])
        == ParseFailure(.usage, "Missing expected argument '--bad-build <bad-build>'"))
  }

  @Test(arguments: [
    (["status", "--output", "json"], "json"), (["status"], "text"),
  ])
  func statusOutputIsTextOrJSON(arguments: [String], expected: String) throws {
    let status = try #require(try SalvageCommand.parseAsRoot(arguments) as? SalvageCommand.Status)
    #expect(status.output.rawValue == expected)
  }

  @Test func logAcceptsJSONLinesAndRefusesYAML() throws {
    let log = try #require(
      try SalvageCommand.parseAsRoot(["log", "--output", "jsonl"]) as? SalvageCommand.Log)
    #expect(log.output == .jsonl)
    #expect(
      ParseFailure(["log", "--output", "yaml"])
        == ParseFailure(
          .usage,
          "The value 'yaml' is invalid for '--output <output>'. Please provide one of 'text', 'json' or 'jsonl'."
        ))
  }

  @Test(arguments: [
    (["targets", "--output", "json", "--format", "csv"], "csv"),
    (["timeline", "--output", "json", "--format", "html"], "html"),
  ])
  func aDocumentOtherThanJSONIsRefusedOnStandardOutputWithOutputJSON(
    arguments: [String], format: String
  ) throws {
    // Given --output json and another --format, without --out: it is refused (exit 64)
    #expect(
      ParseFailure(arguments)
        == ParseFailure(
          .usage,
          "--output json prints JSON: drop --format \(format), or write the \(format) to a file with --out"
        ))
    // And with --out the document goes to the file, so it parses
    _ = try SalvageCommand.parseAsRoot(arguments + ["--out", "document"])
  }

  @Test func noteTakesItsTextAsOneArgument() throws {
    let note = try #require(
      try SalvageCommand.parseAsRoot(["note", "rolled back at 03:12"]) as? SalvageCommand.Note)
    #expect(note.text == "rolled back at 03:12")
  }

  @Test func theJournalPathComesFromTheOptionThenTheEnvironmentThenTheDefault() throws {
    let withOption = try JournalOptions.parse(["--journal", "a.sqlite"])
    #expect(withOption.journalPath(["SALVAGE_JOURNAL": "b.sqlite"]) == "a.sqlite")
    let without = try JournalOptions.parse([])
    #expect(without.journalPath(["SALVAGE_JOURNAL": "b.sqlite"]) == "b.sqlite")
    #expect(without.journalPath([:]) == "salvage.sqlite")
  }

  @Test func theOperatorComesFromTheOptionThenTheEnvironmentThenTheLoginName() throws {
    #expect(
      try JournalOptions.parse(["--operator", "alice"]).operatorName(["SALVAGE_OPERATOR": "bob"])
        == "alice")
    #expect(
      try JournalOptions.parse([]).operatorName(["SALVAGE_OPERATOR": "bob", "USER": "carol"])
        == "bob")
    #expect(try JournalOptions.parse([]).operatorName(["USER": "carol"]) == "carol")
    #expect(throws: InputError("operator name is empty")) {
      try JournalOptions.parse(["--operator", " "]).operatorName([:])
    }
  }
}

/// How `salvage` refuses arguments that do not parse (or validate): its exit status and the
/// one-line message it prints.
struct ParseFailure: Equatable, CustomStringConvertible {
  let status: SalvageCLI.ExitStatus?
  let message: String

  init(_ status: SalvageCLI.ExitStatus, _ message: String) {
    self.status = status
    self.message = message
  }

  /// Parses `arguments` as `salvage` does; arguments that parse are no failure (status nil).
  init(_ arguments: [String]) {
    do {
      _ = try SalvageCommand.parseAsRoot(arguments)
      (status, message) = (nil, "parsed")
    } catch {
      (status, message) = (ExitStatus(for: error), ExitStatus.message(for: error))
    }
  }

  var description: String { "\(status.map { "exit \($0.rawValue)" } ?? "no error"): \(message)" }
}
