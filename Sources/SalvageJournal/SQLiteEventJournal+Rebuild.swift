import Foundation
import GRDB
public import SalvageCore

extension SQLiteEventJournal {
  /// Every incident's state folded from its first event, ignoring snapshots: what `verify`
  /// compares snapshots against, and the measure of how fast the projection replays.
  public func rebuild() throws(JournalError) -> [IncidentID: IncidentState] {
    try read { db in
      var states: [IncidentID: IncidentState] = [:]
      var rows = try RawEventRows(db, sql: "SELECT \(RawEventRows.columns) FROM events ORDER BY position")
      while let recorded = try rows.next() {
        states[recorded.incident, default: IncidentState(incident: recorded.incident)].apply(recorded)
      }
      return states
    }
  }
}
