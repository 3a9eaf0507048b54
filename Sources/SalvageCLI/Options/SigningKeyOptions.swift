import ArgumentParser
import SalvageCore
import SalvageJournal

/// `--signing-key`, for the commands that write an export (`export`, `handoff --export`).
struct SigningKeyOptions: ParsableArguments {
  @Option(
    name: .customLong("signing-key"),
    help: ArgumentHelp(
      "The Ed25519 key that signs the export, made 0600 on first use with its public half in FILE.pub (default: the journal's path with .key).",
      valueName: "FILE"))
  var path: String?

  /// The key at `--signing-key`, else beside `journal`; made there on first use.
  func key(journal: String) throws(InputError) -> ExportSigningKey {
    try ExportSigningKey.loadOrCreate(at: path ?? journal + ".key")
  }
}
