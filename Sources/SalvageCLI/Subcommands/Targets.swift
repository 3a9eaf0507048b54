import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Targets: AsyncParsableCommand, JSONSpeaking {
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

    @Option(help: "Write to this file, mode 0600, replaced atomically (default: standard output).")
    var out: String?

    @Option(help: "text, or json: the list as JSON, or with --out a JSON note of what was written.")
    var output: OutputFormat = .text

    var speaksJSON: Bool { output == .json }

    func validate() throws {
      try OutputFormat.check(output, format: format?.rawValue, out: out)
    }

    func run() async throws {
      let store = try journal.openJournal(LiveEnvironment.variables)
      let id = try journal.resolveIncident(in: store)
      guard let state = try store.state(of: id) else {
        throw CommandError.incident("incident \(id) has no events")
      }
      let rows = CompensationList.rows(
        of: state,
        identified: try state.progress.identificationEvent.map(store.executions(namedBy:)) ?? [],
        frozen: try state.progress.closedTargetsEvent.map(store.executions(namedBy:)) ?? [])
      let format = self.format ?? (output == .json ? .json : .table)
      let text: String =
        switch format {
        case .table: TargetsView.table(rows)
        case .csv: TargetsView.csv(rows)
        case .json: try TargetsView.json(rows)
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

enum TargetsFormat: String, ExpressibleByArgument, CaseIterable {
  case table, csv, json
}
