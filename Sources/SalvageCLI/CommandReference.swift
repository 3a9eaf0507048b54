import ArgumentParser

/// The command reference, `docs/reference.md`, written from the ArgumentParser definitions.
///
/// The page is generated, never kept by hand: each command's section is its abstract and the help
/// text `salvage help <command>` prints, so the reference cannot drift from the binary.
/// `tools/command-reference` writes it, and `CommandReferenceTests` fails when the committed page
/// differs from what this gives. The help is wrapped at a fixed width, whatever the terminal, so
/// the page is the same bytes on every machine.
public enum CommandReference {
  /// The width the help text is wrapped at.
  static let columns = 100

  /// The whole page: a header, the root command's help, then one section per command, in the
  /// order the root lists them (nested commands after their parent).
  public static func markdown() -> String {
    var commands: [(path: [String], type: any ParsableCommand.Type)] = []
    collect(SalvageCommand.configuration.subcommands, under: ["salvage"], into: &commands)

    var page = """
      # Command reference

      Every command's options, as `salvage help <command>` prints them. Generated from the
      ArgumentParser definitions by `tools/command-reference`: do not edit by hand (the test
      `CommandReferenceTests` fails when this page differs from the definitions). What the commands
      do, and how their output behaves, is in [Commands](commands.md).


      """
    let links = commands.map {
      "[\($0.path.dropFirst().joined(separator: " "))](#\(anchor($0.path)))"
    }
    page += wrapped("Commands: " + links.joined(separator: ", ") + ".") + "\n\n"
    page += section(
      path: ["salvage"], abstract: SalvageCommand.configuration.abstract,
      help: SalvageCommand.helpMessage(includeHidden: false, columns: columns))
    for command in commands {
      page += "\n"
      page += section(
        path: command.path, abstract: command.type.configuration.abstract,
        help: SalvageCommand.helpMessage(
          for: command.type, includeHidden: false, columns: columns))
    }
    return page
  }

  /// Adds every displayed command of `types` under `path`, each followed by its own subcommands.
  private static func collect(
    _ types: [any ParsableCommand.Type], under path: [String],
    into commands: inout [(path: [String], type: any ParsableCommand.Type)]
  ) {
    for type in types where type.configuration.shouldDisplay {
      let commandPath = path + [type._commandName]
      commands.append((commandPath, type))
      collect(type.configuration.subcommands, under: commandPath, into: &commands)
    }
  }

  /// One command's section: its heading, its abstract, and its help in a fenced block.
  private static func section(path: [String], abstract: String, help: String) -> String {
    // Trailing blanks on a help line (an empty discussion line, say) are not kept: the page is
    // Markdown, where they would mean a line break.
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0.reversed().drop { $0 == " " }.reversed())
    }
    var body = lines.joined(separator: "\n")
    while body.hasSuffix("\n") { body.removeLast() }
    var text = "## \(path.joined(separator: " "))\n\n"
    if !abstract.isEmpty { text += "\(abstract)\n\n" }
    text += "```text\n\(body)\n```\n"
    return text
  }

  /// `text` broken at spaces into lines of at most ``columns`` characters (a longer word keeps its
  /// own line).
  private static func wrapped(_ text: String) -> String {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty, line.count + 1 + word.count > columns {
        lines.append(line)
        line = ""
      }
      line += line.isEmpty ? String(word) : " " + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
  }

  /// The anchor GitHub gives the heading `## salvage reset-closed`: `salvage-reset-closed`.
  private static func anchor(_ path: [String]) -> String {
    path.joined(separator: "-").lowercased()
  }
}
