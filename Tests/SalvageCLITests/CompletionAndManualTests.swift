import ArgumentParser
import Foundation
import SalvageCLI
import Testing

/// The shell completions and the man page come from the same ArgumentParser definitions as the
/// binary: `tools/install` writes the completions with `salvage --generate-completion-script` and
/// the man page with swift-argument-parser's GenerateManual plugin, which reads
/// `salvage --experimental-dump-help`. These tests run the built `salvage` for both.
@Suite(.tags(.integration)) struct CompletionAndManualTests {
  /// The names an operator types after `salvage`, straight from the root's configuration.
  /// (`_commandName` is the name ArgumentParser derives; its generate-manual tool reads it too.)
  static let subcommandNames = SalvageCommand.configuration.subcommands.map {
    $0._commandName
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func theCompletionScriptIsTheOneTheDefinitionsGiveAndNamesEverySubcommand(shell: String)
    async throws
  {
    // Given the built salvage and the shell's completion script derived in-process
    let completionShell = try #require(CompletionShell(rawValue: shell))
    let expected = SalvageCommand.completionScript(for: completionShell)

    // When the binary is asked for the script
    let result = try await SalvageProcess.run(["--generate-completion-script", shell])

    // Then it prints that script on stdout, exits 0, and names every subcommand
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(
      result.stdout.trimmingCharacters(in: .newlines) == expected.trimmingCharacters(in: .newlines))
    let named: Set = ["open", "run", "reset-closed", "clean-up", "timeline"]
    #expect(named.isSubset(of: Self.subcommandNames))
    for name in Self.subcommandNames {
      #expect(Self.words(of: result.stdout).contains(name), "the \(shell) script lacks \(name)")
    }
  }

  @Test func theManualsInputNamesEverySubcommandAndTheCompletionNamesEachOfTheirOptions()
    async throws
  {
    // Given the built salvage and its bash completion script
    let bash = Self.words(of: SalvageCommand.completionScript(for: .bash))

    // When it dumps its definitions, as the GenerateManual plugin reads them
    let result = try await SalvageProcess.run(["--experimental-dump-help"])
    let tool = try JSONDecoder().decode(ToolInfo.self, from: Data(result.stdout.utf8))

    // Then the dump has exactly the root's subcommands, in order, each with its options
    #expect(result.status == 0)
    #expect(tool.command.commandName == "salvage")
    let subcommands = (tool.command.subcommands ?? []).filter { $0.commandName != "help" }
    #expect(subcommands.map(\.commandName) == Self.subcommandNames)
    let open = try #require(subcommands.first { $0.commandName == "open" })
    #expect(Set(open.longOptions).isSuperset(of: ["--deployment", "--bad-build", "--good-build"]))
    // And the completion script offers every visible option of every subcommand
    for command in subcommands {
      #expect(command.longOptions.isEmpty == false, "\(command.commandName) has no option")
      for option in command.longOptions {
        #expect(bash.contains(option), "bash completion lacks \(command.commandName) \(option)")
      }
    }
  }

  /// The whole words of a script, with `-` kept inside a word: `--run-id` stays one word.
  static func words(of script: String) -> Set<String> {
    let word = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
    return Set(script.components(separatedBy: word.inverted).filter { !$0.isEmpty })
  }
}

/// The part of ArgumentParser's `--experimental-dump-help` JSON (ToolInfoV0) these tests read.
private struct ToolInfo: Decodable {
  struct Command: Decodable {
    let commandName: String
    let subcommands: [Command]?
    let arguments: [Argument]?

    /// The `--long` names that help, the man page and the completions show.
    var longOptions: [String] {
      (arguments ?? []).compactMap { argument in
        guard argument.shouldDisplay, let name = argument.preferredName, name.kind == "long",
          name.name != "help", name.name != "version"
        else { return nil }
        return "--" + name.name
      }
    }
  }

  struct Argument: Decodable {
    let shouldDisplay: Bool
    let preferredName: Name?
  }

  struct Name: Decodable {
    let kind: String
    let name: String
  }

  let command: Command
}
