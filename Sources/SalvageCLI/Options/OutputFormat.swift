import ArgumentParser

/// `--output` of every command but `log`: text for people (the default), json for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

extension OutputFormat {
  /// `--output json` beside a command's own `--format` (`timeline`, `targets`): on standard output
  /// the document is the JSON; any other format only goes to a file (`--out`), and stdout then has
  /// a JSON note of what was written.
  static func check(_ output: OutputFormat, format: String?, out: String?) throws {
    guard output == .json, out == nil, let format, format != "json" else { return }
    throw ValidationError(
      "--output json prints JSON: drop --format \(format), or write the \(format) to a file with --out"
    )
  }
}

/// What `--output` says in a command's help.
protocol OutputHelp {
  static var help: ArgumentHelp { get }
}

/// Most commands print one result, as text or as one JSON object.
enum TextOrJSON: OutputHelp {
  static let help: ArgumentHelp = "text or json."
}

/// `--output`, the one declaration every command but `log` shares; `Help` says what it prints.
struct OutputOptions<Help: OutputHelp>: ParsableArguments {
  @Option(help: Help.help)
  var output: OutputFormat = .text
}

/// A command (or a group of a command's options) with ``OutputOptions``.
protocol HasOutput {
  associatedtype Help: OutputHelp
  var outputOptions: OutputOptions<Help> { get }
}

extension HasOutput {
  /// `--output`.
  var output: OutputFormat { outputOptions.output }
  /// Whether it asked for JSON (what ``JSONSpeaking`` needs).
  var speaksJSON: Bool { output == .json }
}

/// `--output` of `log`.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json, jsonl
}

/// A command that can speak JSON: its errors are then one JSON object on stderr too
/// (``SalvageCommand/runMain(_:)``).
protocol JSONSpeaking {
  /// Whether `--output json` (or `jsonl`) was asked for.
  var speaksJSON: Bool { get }
}

extension OutputFormat {
  /// Whether raw arguments ask for JSON output, for an error met before they parsed: an
  /// `--output json`, `--output jsonl` or `--output=json…` before any `--`.
  static func askedForJSON(in arguments: [String]) -> Bool {
    var previous = ""
    for argument in arguments {
      if argument == "--" { return false }
      if previous == "--output", argument.hasPrefix("json") { return true }
      if argument.hasPrefix("--output=json") { return true }
      previous = argument
    }
    return false
  }
}
