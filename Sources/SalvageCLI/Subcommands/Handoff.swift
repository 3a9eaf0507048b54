import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Handoff: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Hand the incident to the next shift: record it and print their brief.")

    @OptionGroup var journal: JournalOptions

    @Option(help: "Who takes the incident over.")
    var to: String

    @Option(help: "A note for them, recorded with the handoff.")
    var note: String?

    @Option(
      name: .customLong("export"),
      help:
        "Seal the incident in this journal and write it to this file, for 'salvage import' on their machine."
    )
    var exportFile: String?

    @OptionGroup var signing: SigningKeyOptions

    @OptionGroup var ui: WebUIOptions

    @OptionGroup var outputOptions: OutputOptions<HandoffOutput>

    /// What `--output` prints.
    enum HandoffOutput: OutputHelp {
      static let help: ArgumentHelp =
        "text or json (the brief as the status JSON, every note, and the handoff)."
    }

    func run() async throws {
      let environment = LiveEnvironment.variables
      let actor = try journal.operatorName(environment)
      let next = try OperatorName.validate(to)
      let opened = try journal.openIncident(environment)
      let (store, id) = (opened.store, opened.id)
      let writer = IncidentOwner.writer(store, id, actor: actor)
      let text = note?.trimmingCharacters(in: .whitespacesAndNewlines)
      let host = ProcessInfo.processInfo.hostName
      let before = try store.state(of: id)
      try Self.refuse(before, actor: actor, host: host)
      // A malformed UI address exits 64 before the handoff is recorded.
      let links = try ui.links(namespace: before?.details?.namespace, environment)
      // The file must be writable before anything is sealed: bad paths exit 64 with nothing journaled.
      if let exportFile { try PrivateFile.checkWritable(exportFile, journal: store.path) }
      let key = try exportFile.map { _ in try signing.key(journal: store.path) }
      try writer.update { state in
        try Self.refuse(state, actor: actor, host: host)
        let sealedAfter = try exportFile.map { _ in
          try store.storedEvents(of: id).last?.hashHex ?? ""
        }
        return [
          .handedOff(
            HandedOff(
              from: actor, to: next, note: text?.isEmpty == false ? text : nil, export: exportFile,
              sealedAfter: sealedAfter))
        ]
      }
      guard let state = try store.state(of: id) else { return }
      let brief = HandoffBrief(
        state, notes: IncidentState.notes(in: try store.events(of: id)), links: links)
      if output == .text { say(brief.text) }
      if let exportFile, let key {
        do {
          try PrivateFile.write(
            Data(try store.handoffExport(id, key: key).utf8), to: exportFile, journal: store.path)
        } catch {
          throw CommandError.incident(
            "incident \(id) is sealed, but \(exportFile) could not be written (\(error)): write it "
              + "with 'salvage export --handoff --out FILE'")
        }
        if output == .text {
          say(
            "Sealed here and exported to \(exportFile): on their machine, 'salvage import \(exportFile)' continues it."
          )
        }
      }
      if output == .json { say(try JSONOutput.render(brief.view(export: exportFile))) }
    }

    /// Refuses a handoff while a run drives the incident, and of an incident this journal does
    /// not drive (exit 6): ``IncidentOwner/refuseHandoff(_:by:on:now:isRunning:)``.
    static func refuse(_ state: IncidentState?, actor: String, host: String) throws {
      try IncidentOwner.refuseHandoff(
        state, by: actor, on: host, now: LiveEnvironment.now(), isRunning: LiveEnvironment.isRunning
      )
    }
  }
}

/// What the next shift needs to know, in the order they need it.
struct HandoffBrief {
  let state: IncidentState
  /// Every note, in order: the state keeps only the latest few.
  let notes: [IncidentState.Note]
  /// Where the versions and batches are in Temporal's Web UI, when its address is known.
  let links: WebUILinks?

  init(_ state: IncidentState, notes: [IncidentState.Note], links: WebUILinks? = nil) {
    self.state = state
    self.notes = notes
    self.links = links
  }

  /// `handoff --output json`: `{"incident", "handoff", "status", "notes", "export", "ui"}`, where
  /// `status` is what `status --output json` shows, `notes` holds every note and `ui` (with a Web
  /// UI address) the versions' and batches' pages.
  struct View: Encodable {
    let incident: String
    let handoff: IncidentState.Handoff?
    let status: StatusView
    let notes: [IncidentState.Note]
    let export: String?
    let ui: Pages?
  }

  /// The incident's pages in the Web UI: both versions, and each batch by its action.
  struct Pages: Encodable, Equatable {
    let badVersion: String
    let goodVersion: String
    let batches: [String: String]
  }

  var pages: Pages? {
    guard let links, let details = state.details else { return nil }
    var batches: [String: String] = [:]
    for action in state.progress.actions {
      if let job = action.batchJob { batches[action.id] = links.batch(job) }
    }
    return Pages(
      badVersion: links.version(deployment: details.deployment, build: details.badBuild),
      goodVersion: links.version(deployment: details.deployment, build: details.goodBuild),
      batches: batches)
  }

  func view(export: String?) -> View {
    View(
      incident: state.incident.rawValue, handoff: state.handoffs.last, status: StatusView(state),
      notes: notes,
      export: export, ui: pages)
  }

  var text: String {
    let progress = state.progress
    let pages = self.pages
    var lines: [String] = []
    let handoff = state.handoffs.last
    lines.append(
      "Handoff of incident \(state.incident)"
        + (handoff.map { " from \($0.from) to \($0.to) at \($0.at) UTC" } ?? ""))
    if let details = state.details {
      lines.append("  \(VisibleText.flat(details.title))")
      lines.append(
        "  deployment \(details.deployment), bad build \(details.badBuild), good build \(details.goodBuild), namespace \(details.namespace)"
      )
    }
    if let pages {
      lines.append("  in the UI: bad version \(pages.badVersion)")
      lines.append("             good version \(pages.goodVersion)")
    }
    lines.append("Phase: \(state.phase?.rawValue ?? "not opened")")
    let done = progress.actions.filter { $0.outcome?.isDone == true }
    lines.append("Done (\(done.count) actions):")
    for action in done {
      let batch =
        action.batchJob.map { job in
          " — batch \(job)"
            + (progress.batches[action.id].map { ": " + $0.counts } ?? "")
        } ?? ""
      lines.append("  \(action.endedAt.map { "\($0) UTC" } ?? "") \(action.id)\(batch)")
      if let page = pages?.batches[action.id] { lines.append("    \(page)") }
    }
    lines += StatusView.pinLines(state.pinsLeftBehind, removed: state.pinsRemoved)
    let doubtful = progress.inDoubt
    lines.append(
      "In flight or in doubt: "
        + (doubtful.isEmpty
          ? "none"
          : doubtful.map(\.id).joined(separator: ", ")
            + " (the next run settles them first)"))
    let failed = progress.actions.filter { $0.outcome == .failed }.suffix(3)
    for action in failed {
      lines.append("  failed: \(action.id): \(VisibleText.flat(action.message ?? ""))")
    }
    let failures = progress.failures
    lines.append(
      "Not taken effect yet: "
        + (failures.isEmpty ? "none" : "\(failures.count) (the next run tries them again)"))
    for failure in failures { lines.append("  \(VisibleText.flat(failure.line))") }
    lines.append("Decisions taken:" + (progress.decisions.isEmpty ? " none" : ""))
    for decision in progress.decisions.values.sorted(by: { $0.workflowType < $1.workflowType }) {
      lines.append("  \(VisibleText.flat(IncidentEvent.strategyDecided(decision).summary))")
    }
    let pending = progress.undecidedTypes
    lines.append(
      "Decisions pending: "
        + (pending.isEmpty ? "none" : VisibleText.flat(pending.joined(separator: ", "))))
    let next = Runbook.nextAction(for: state)
    lines.append("Next: \(next.explanation)" + (next.command.map { "\n  \($0)" } ?? ""))
    lines.append("Notes (\(notes.count)):")
    for note in notes { lines.append("  \(note.at) UTC \(note.by): \(oneLine(note.text))") }
    if let note = handoff?.note { lines.append("Handoff note: \(VisibleText.flat(note))") }
    lines.append("Times are UTC.")
    return lines.joined(separator: "\n")
  }
}
