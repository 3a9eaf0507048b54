import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Note: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Add a note to the incident's record.")

    @OptionGroup var journal: JournalOptions

    @Argument(help: "The note.")
    var text: String

    @OptionGroup var outputOptions: OutputOptions<TextOrJSON>

    func run() async throws {
      let environment = LiveEnvironment.variables
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty else { throw InputError("note is empty") }
      guard trimmed.count <= 4000 else { throw InputError("note is longer than 4000 characters") }
      let writer = try journal.openWriter(environment)
      let recorded = try writer.update { _ in
        [.noteAdded(NoteAdded(text: trimmed))]
      }
      if output == .json { return say(try JSONOutput.render(writer.recordedView(recorded))) }
      if let event = recorded.first {
        say("Noted in \(writer.incident) at \(event.recordedAt) UTC (event \(event.version)).")
      }
    }
  }
}
