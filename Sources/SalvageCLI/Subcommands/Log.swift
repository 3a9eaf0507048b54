import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Log: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      abstract: "Print the incident's raw events, in order.")

    @OptionGroup var journal: JournalOptions

    @Flag(help: "Every incident's events, in journal order.")
    var all = false

    @Option(help: "text, json (an array) or jsonl (one event a line).")
    var output: LogFormat = .text

    var speaksJSON: Bool { output != .text }

    func run() async throws {
      let store = try journal.openJournal(LiveEnvironment.variables)
      let incident = all ? nil : try journal.resolveIncident(in: store)
      let events = try store.storedEvents(of: incident)
      switch output {
      case .text:
        for event in events { print(VisibleText.escaped(EventLine.text(event))) }
      case .jsonl:
        for event in events { print(try EventLine.json(event)) }
      case .json:
        print("[" + (try events.map(EventLine.json).joined(separator: ",\n")) + "]")
      }
    }
  }
}
