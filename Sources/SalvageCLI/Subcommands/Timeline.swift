import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct TimelineCommand: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      commandName: "timeline",
      abstract:
        "The postmortem record: every event, the commands run, phases, decisions (times in UTC).")

    @OptionGroup var journal: JournalOptions

    @Option(
      help:
        "markdown, json, csv or html (one self-contained page); default markdown, json with --output json."
    )
    var format: TimelineFormat?

    @Option(help: "Write to this file, mode 0600, replaced atomically (default: standard output).")
    var out: String?

    @Option(
      help: "text, or json: the timeline as JSON, or with --out a JSON note of what was written.")
    var output: OutputFormat = .text

    var speaksJSON: Bool { output == .json }

    func validate() throws {
      try OutputFormat.check(output, format: format?.rawValue, out: out)
    }

    func run() async throws {
      let store = try journal.openJournal(LiveEnvironment.variables)
      let id = try journal.resolveIncident(in: store)
      let timeline = Timeline(id, try store.events(of: id))
      let format = self.format ?? (output == .json ? .json : .markdown)
      let text: String =
        switch format {
        case .markdown: TimelineMarkdown.render(timeline)
        case .json: try TimelineTabular.json(timeline)
        case .csv: TimelineTabular.csv(timeline)
        case .html: TimelineHTML.render(timeline)
        }
      if let out {
        try PrivateFile.write(Data(text.utf8), to: out)
        if output == .json {
          say(
            try JSONOutput.render(
              WrittenView(
                incident: id.rawValue, out: out, format: format.rawValue, bytes: text.utf8.count)))
        }
      } else {
        FileHandle.standardOutput.write(Data(text.utf8))
      }
    }
  }
}

enum TimelineFormat: String, ExpressibleByArgument, CaseIterable {
  case markdown, json, csv, html
}
