import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Targets: AsyncParsableCommand, WritesDocument {
    static let configuration = CommandConfiguration(
      abstract:
        "List every execution salvage acted on, for out-of-band compensation (times in UTC).",
      discussion: """
        One row per execution: workflow id, type, status before, what was done (reset-with-move or \
        override by a recovery batch, restart by terminate and restart, reset of a closed run), old run id, new run id, batch job, \
        time. A batch reports counts only: its new run ids are unknown and left empty.
        """)

    @OptionGroup var journal: JournalOptions

    @Option(help: "table, csv or json; default table, json with --output json.")
    var format: TargetsFormat?

    @OptionGroup var file: OutFileOptions

    @OptionGroup var ui: WebUIOptions

    @OptionGroup var outputOptions: OutputOptions<TargetsOutput>

    /// What `--output` prints.
    enum TargetsOutput: OutputHelp {
      static let help: ArgumentHelp =
        "text, or json: the list as JSON, or with --out a JSON note of what was written."
    }

    var formatName: String? { format?.rawValue }

    func run() async throws {
      let incident = try journal.openIncident()
      let state = try incident.state()
      let links = try ui.links(
        namespace: state.details?.namespace, LiveEnvironment.variables)
      let store = incident.store
      let rows = CompensationList.rows(
        of: state,
        identified: try state.progress.identificationEvent.map(store.executions(namedBy:)) ?? [],
        frozen: try state.progress.closedTargetsEvent.map(store.executions(namedBy:)) ?? [])
      let format = self.format ?? (output == .json ? .json : .table)
      let text: String =
        switch format {
        case .table: TargetsView.table(rows, links: links)
        case .csv: TargetsView.csv(rows, links: links)
        case .json: try TargetsView.json(rows, links: links)
        }
      try file.write(
        text, of: incident.id, format: format.rawValue, json: output == .json,
        journal: incident.store.path)
    }
  }
}

enum TargetsFormat: String, ExpressibleByArgument, CaseIterable {
  case table, csv, json
}
