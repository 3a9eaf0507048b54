import ArgumentParser
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
    #expect(throws: (any Error).self) {
      _ = try SalvageCommand.parseAsRoot(["open", "--deployment", "d", "--good-build", "g"])
    }
    do {
      _ = try SalvageCommand.parseAsRoot(["open", "--deployment", "d", "--good-build", "g"])
    } catch {
      #expect(ExitStatus(for: error) == .usage)
      #expect(ExitStatus.message(for: error).contains("--bad-build"))
      #expect(!ExitStatus.message(for: error).contains("\n"))
    }
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
    #expect(throws: (any Error).self) {
      _ = try SalvageCommand.parseAsRoot(["log", "--output", "yaml"])
    }
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
    #expect(throws: (any Error).self) {
      try JournalOptions.parse(["--operator", " "]).operatorName([:])
    }
  }
}
