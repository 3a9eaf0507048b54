import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Close: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      abstract: "Close the incident: nothing more will be done under it.")

    @OptionGroup var journal: JournalOptions

    @Option(help: "Why it is closed.")
    var reason: String

    @Option(help: "text or json.")
    var output: OutputFormat = .text

    var speaksJSON: Bool { output == .json }

    func run() async throws {
      let environment = LiveEnvironment.variables
      let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty else { throw InputError("reason is empty") }
      let writer = try journal.openWriter(environment)
      let id = writer.incident
      let recorded = try writer.update { state in
        if state?.closure != nil { throw CommandError.incident("incident \(id) is already closed") }
        try IncidentOwner.refuseUndrivable(state)
        return [.closed(IncidentClosed(reason: trimmed))]
      }
      guard output == .json else { return say("Closed \(id).") }
      say(try JSONOutput.render(writer.recordedView(recorded)))
    }
  }
}
