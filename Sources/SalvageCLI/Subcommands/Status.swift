import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Status: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Show where the incident stands (read from the journal's checkpoint).")

    @OptionGroup var journal: JournalOptions

    @OptionGroup var outputOptions: OutputOptions<TextOrJSON>

    func run() async throws {
      let view = StatusView(try journal.openIncident().state())
      say(output == .json ? try JSONOutput.render(view) : view.text)
    }
  }
}
