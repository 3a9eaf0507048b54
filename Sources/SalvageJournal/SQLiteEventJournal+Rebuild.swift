import Foundation
import GRDB
public import SalvageCore

extension SQLiteEventJournal {
  /// Every incident's state folded from its first event, ignoring snapshots: what `verify`
  /// compares snapshots against, and the measure of how fast the projection replays.
  public func rebuild() throws(JournalError) -> [IncidentID: IncidentState] {
    try read { db in
      var states: [IncidentID: IncidentState] = [:]
      let rows = try Row.fetchCursor(db, sql: "SELECT \(StoredEvent.columns) FROM events ORDER BY position")
      while let row = try rows.next() {
        let recorded = try StoredEvent(row: row).recorded()
        states[recorded.incident, default: IncidentState(incident: recorded.incident)].apply(recorded)
      }
      return states
    }
  }
}
