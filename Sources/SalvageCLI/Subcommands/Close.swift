import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal
import SalvageTemporal

extension SalvageCommand {
  struct Close: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Close the incident: nothing more will be done under it.",
      discussion:
        "When salvage took the deployment's manager identity from a controller (run --claim-manager), close first hands it back to that controller, which re-applies its own target from then on."
    )

    @OptionGroup var journal: JournalOptions
    @OptionGroup var temporal: TemporalOptions

    @Option(help: "Why it is closed.")
    var reason: String

    @OptionGroup var outputOptions: OutputOptions<TextOrJSON>

    func run() async throws {
      let environment = LiveEnvironment.variables
      let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty else { throw InputError("reason is empty") }
      let writer = try journal.openWriter(environment)
      let id = writer.incident
      var handedBack: ManagerReturned?
      if let state = try writer.journal.state(of: id), let custody = state.progress.manager,
        custody.isHeld, let details = state.details
      {
        // Checked before anything is sent: the hand-back is for the incident's own close only.
        if state.closure != nil { throw CommandError.incident("incident \(id) is already closed") }
        try IncidentOwner.refuseUndrivable(state)
        if let lease = state.lease, lease.expiresAt > LiveEnvironment.now() {
          throw CommandError.incident(
            "\(lease.holder)'s run drives incident \(id) until \(lease.expiresAt) UTC: the manager "
              + "identity of \(details.deployment) is handed back at close, which would take the "
              + "deployment from under that run; close once it ends")
        }
        let endpoint = try temporal.endpoint(incidentNamespace: details.namespace, environment)
        handedBack = try await GRPCTemporalClient.withClient(endpoint) { client in
          try await ManagerHandBack(incident: id, deployment: details.deployment, custody: custody)
            .perform(on: client)
        }
      }
      let recorded = try writer.update { state in
        if state?.closure != nil { throw CommandError.incident("incident \(id) is already closed") }
        try IncidentOwner.refuseUndrivable(state)
        return (handedBack.map { [.managerReturned($0)] } ?? []) + [
          .closed(IncidentClosed(reason: trimmed))
        ]
      }
      guard output == .json else {
        if let handedBack {
          say(ManagerHandBack.told(handedBack))
        }
        return say("Closed \(id).")
      }
      say(try JSONOutput.render(writer.recordedView(recorded)))
    }
  }
}
