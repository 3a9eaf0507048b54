import ArgumentParser
import Foundation
import SalvageCLI
import Testing

/// `docs/reference.md` is generated from the ArgumentParser definitions by
/// `CommandReference.markdown()`, never kept by hand. `tools/command-reference` rewrites it by
/// running these tests with `SALVAGE_WRITE_REFERENCE=1`; otherwise they fail when it is stale, as
/// `SchemaFileTests` and `GeneratedProtoTests` do for the other generated files.
@Suite struct CommandReferenceTests {
  static let page = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("docs").appendingPathComponent("reference.md")

  @Test func theCommittedReferenceIsExactlyWhatTheCommandDefinitionsGive() throws {
    // Given the page the definitions give
    let generated = Data(CommandReference.markdown().utf8)

    // When tools/command-reference asks for it, it is written first
    if ProcessInfo.processInfo.environment["SALVAGE_WRITE_REFERENCE"] == "1" {
      try generated.write(to: Self.page, options: .atomic)
    }
    guard let committed = try? Data(contentsOf: Self.page) else {
      Issue.record("docs/reference.md cannot be read: run tools/command-reference")
      return
    }

    // Then the committed page is the same bytes
    let same = committed == generated
    #expect(
      same,
      """
      docs/reference.md differs from the command definitions \
      (first at line \(Self.firstDifferentLine(committed, generated))): run tools/command-reference
      """)
  }

  @Test func everyCommandHasItsHeadingItsAbstractAndItsFullHelp() throws {
    // Given the generated page
    let page = CommandReference.markdown()

    // When it is read command by command
    let names = SalvageCommand.configuration.subcommands.map { $0._commandName }

    // Then every command the root lists has its heading, abstract and help, options included
    #expect(names.contains("reset-closed"))
    for (name, command) in zip(names, SalvageCommand.configuration.subcommands) {
      #expect(page.contains("\n## salvage \(name)\n\n"), "no heading for \(name)")
      #expect(page.contains(command.configuration.abstract), "no abstract for \(name)")
      #expect(page.contains("USAGE: salvage \(name)"), "no usage for \(name)")
    }
    #expect(page.contains("--bad-build"))
    #expect(page.contains("--closed-statuses"))
    // And the help is wrapped at the page's own 100 columns, not the terminal's (ArgumentParser
    // never wraps a usage line)
    let tooWide = page.split(separator: "\n").filter { $0.count > 100 && !$0.hasPrefix("USAGE: ") }
    #expect(tooWide.isEmpty, "lines wider than 100 columns: \(tooWide.prefix(3))")
  }

  /// The 1-based line at which two texts first differ, for the failure message.
  static func firstDifferentLine(_ left: Data, _ right: Data) -> Int {
    let left = String(decoding: left, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    let right = String(decoding: right, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<min(left.count, right.count) where left[index] != right[index] {
      return index + 1
    }
    return min(left.count, right.count) + 1
  }
}
