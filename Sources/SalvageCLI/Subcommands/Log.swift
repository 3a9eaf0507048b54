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
      // Written in chunks through StandardStreams: a closed pipe or a full disk is an outcome
      // (`print` would drop it silently and exit 0).
      var chunk = ""
      func line(_ text: String) {
        chunk += text + "\n"
        if chunk.utf8.count >= 1 << 16 {
          StandardStreams.output(chunk)
          chunk = ""
        }
      }
      switch output {
      case .text:
        for event in events { line(VisibleText.escaped(EventLine.text(event))) }
      case .jsonl:
        for event in events { line(try EventLine.json(event)) }
      case .json:
        line("[" + (try events.map(EventLine.json).joined(separator: ",\n")) + "]")
      }
      StandardStreams.output(chunk)
    }
  }
}
