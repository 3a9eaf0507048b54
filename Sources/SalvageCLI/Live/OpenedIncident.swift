import Foundation
import SalvageCore
import SalvageJournal

/// The opening every incident command shares: the existing journal, and the incident it acts on
/// (`--incident`, else the only open one). `run` and the step commands open through
/// ``RunbookSession`` instead, which also takes the lease.
struct OpenedIncident {
  let store: SQLiteEventJournal
  let id: IncidentID

  /// The incident's state as the journal's checkpoint has it; one with no events is refused
  /// (exit 3).
  func state() throws -> IncidentState {
    guard let state = try store.state(of: id) else {
      throw CommandError.incident("incident \(id) has no events")
    }
    return state
  }
}

extension JournalOptions {
  /// Opens the existing journal (exit 4 when it cannot be used) and resolves the incident (exit 3
  /// when it is unknown or ambiguous).
  func openIncident(_ environment: [String: String] = LiveEnvironment.variables) throws
    -> OpenedIncident
  {
    let store = try openJournal(environment)
    return OpenedIncident(store: store, id: try resolveIncident(in: store))
  }

  /// The opening of a command that records events: the operator (`actor`, else `--operator`,
  /// checked before the journal is opened), then the owner of the opened incident's state.
  func openWriter(_ environment: [String: String], actor: String? = nil) throws -> IncidentOwner {
    let actor = try actor ?? operatorName(environment)
    let incident = try openIncident(environment)
    return .writer(incident.store, incident.id, actor: actor)
  }
}

extension IncidentOwner {
  /// The owner a command that records without driving writes through: live event ids, and a
  /// short random pause between two attempts that met another writer's events.
  static func writer(
    _ store: SQLiteEventJournal, _ incident: IncidentID, actor: String,
    lease: LeaseTerms? = nil,
    recorded: @escaping @Sendable ([RecordedEvent], IncidentState) -> Void = { _, _ in }
  ) -> IncidentOwner {
    IncidentOwner(
      journal: store, incident: incident, actor: actor, newEventID: LiveEnvironment.eventID,
      lease: lease, recorded: recorded, pause: { usleep(UInt32.random(in: 200...2_000)) })
  }

  /// `--output json` of a command that recorded events: them, and the phase they left.
  func recordedView(_ recorded: [RecordedEvent]) -> RecordedView {
    RecordedView(incident, phase: state.phase, recorded: recorded)
  }
}
