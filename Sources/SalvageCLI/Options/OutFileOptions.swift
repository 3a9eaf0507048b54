import ArgumentParser
import Foundation
import SalvageCore

/// `--out`, shared by the commands that write a document (`export`, `timeline`, `targets`): to a
/// private file, or else to standard output.
struct OutFileOptions: ParsableArguments {
  @Option(help: "Write to this file, mode 0600, replaced atomically (default: standard output).")
  var out: String?

  /// Writes `text` to `--out` (mode 0600, replaced atomically), and with `json` says on standard
  /// output what was written (``WrittenView``); without `--out`, writes `text` to standard output.
  /// Returns the file written, if any. `--out` naming the journal is refused (``NotTheJournal``).
  @discardableResult
  func write(
    _ text: String, of incident: IncidentID, format: String, json: Bool, journal: String
  ) throws -> String? {
    guard let out else {
      StandardStreams.output(text)
      return nil
    }
    try PrivateFile.write(Data(text.utf8), to: out, journal: journal)
    if json {
      say(
        try JSONOutput.render(
          WrittenView(incident: incident.rawValue, out: out, format: format, bytes: text.utf8.count)
        )
      )
    }
    return out
  }
}

/// A command whose document (`--format`) goes to `--out` or standard output: `--output json`
/// prints the document as JSON, or with `--out` a JSON note of what was written.
protocol WritesDocument: ParsableArguments, JSONSpeaking, HasOutput {
  var file: OutFileOptions { get }
  /// The `--format` asked for, if any.
  var formatName: String? { get }
}

extension WritesDocument {
  func validate() throws {
    try OutputFormat.check(output, format: formatName, out: file.out)
  }
}
