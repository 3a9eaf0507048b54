import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct TimelineCommand: AsyncParsableCommand, WritesDocument {
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

    @OptionGroup var file: OutFileOptions

    @OptionGroup var ui: WebUIOptions

    @OptionGroup var outputOptions: OutputOptions<TimelineOutput>

    /// What `--output` prints.
    enum TimelineOutput: OutputHelp {
      static let help: ArgumentHelp =
        "text, or json: the timeline as JSON, or with --out a JSON note of what was written."
    }

    var formatName: String? { format?.rawValue }

    func run() async throws {
      let incident = try journal.openIncident()
      let timeline = Timeline(incident.id, try incident.store.events(of: incident.id))
      let links = try ui.links(
        namespace: timeline.state.details?.namespace, LiveEnvironment.variables)
      let format = self.format ?? (output == .json ? .json : .markdown)
      let text: String =
        switch format {
        case .markdown: TimelineMarkdown.render(timeline, links: links)
        case .json: try TimelineTabular.json(timeline)
        case .csv: TimelineTabular.csv(timeline)
        case .html: TimelineHTML.render(timeline, links: links)
        }
      try file.write(
        text, of: incident.id, format: format.rawValue, json: output == .json,
        journal: incident.store.path)
    }
  }
}

enum TimelineFormat: String, ExpressibleByArgument, CaseIterable {
  case markdown, json, csv, html
}
