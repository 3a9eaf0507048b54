import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Verify: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Check the whole journal: rebuild from position 1, hash chain, gaps, checkpoints.",
      discussion: "Exits 2 naming the first bad position when the journal does not verify.")

    @OptionGroup var journal: JournalOptions

    @OptionGroup var outputOptions: OutputOptions<TextOrJSON>

    func run() async throws {
      let store = try journal.openJournal(LiveEnvironment.variables)
      let report = try store.verify()
      if output == .json {
        say(try JSONOutput.render(VerifyView(report)))
      } else if report.isIntact {
        say(
          "Journal \(store.path) verifies: \(report.eventCount) events in \(report.incidentCount) "
            + (report.incidentCount == 1 ? "incident" : "incidents")
            + ", positions gapless, versions contiguous, hash chains intact, "
            + "checkpoints match, SQLite integrity ok.")
      }
      if let first = report.firstProblem {
        throw CommandError(
          status: .journalDoesNotVerify,
          description: "journal \(store.path) does not verify: \(first)"
            + (report.problems.count > 1 ? " (and \(report.problems.count - 1) more problems)" : "")
        )
      }
    }
  }
}

/// `verify --output json`.
struct VerifyView: Encodable {
  struct Problem: Encodable {
    let position: Int64?
    let message: String
  }
  let intact: Bool
  let events: Int
  let incidents: Int
  let problems: [Problem]

  init(_ report: VerificationReport) {
    intact = report.isIntact
    events = report.eventCount
    incidents = report.incidentCount
    problems = report.problems.map { Problem(position: $0.position, message: $0.message) }
  }
}
