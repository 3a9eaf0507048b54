import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Status: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      abstract: "Show where the incident stands (read from the journal's checkpoint).")

    @OptionGroup var journal: JournalOptions

    @Option(help: "text or json.")
    var output: OutputFormat = .text

    var speaksJSON: Bool { output == .json }

    func run() async throws {
      let store = try journal.openJournal(LiveEnvironment.variables)
      let id = try journal.resolveIncident(in: store)
      guard let state = try store.state(of: id) else {
        throw CommandError.incident("incident \(id) has no events")
      }
      let view = StatusView(state)
      say(output == .json ? try JSONOutput.render(view) : view.text)
    }
  }
}
