import Foundation
import GRDB
public import SalvageCore

extension SQLiteEventJournal {
  /// Every incident's state folded from its first event, ignoring snapshots: the measure of how
  /// fast the projection replays, and the way to rebuild every snapshot.
  ///
  /// Incidents fold independently, so on a file they are spread over one read connection per
  /// processor, each reading its incidents' events in its own read transaction.
  public func rebuild() throws(JournalError) -> [IncidentID: IncidentState] {
    let incidents = try read { db in
      try String.fetchAll(db, sql: "SELECT incident FROM heads ORDER BY incident")
    }
    let processors = file == nil ? 1 : ProcessInfo.processInfo.activeProcessorCount
    let lanes = max(1, min(processors, incidents.count))
    let folded = Lanes(count: lanes)
    DispatchQueue.concurrentPerform(iterations: lanes) { lane in
      folded.set(
        lane,
        Result {
          try self.fold(
            Array(incidents[lane...].enumerated().filter { $0.offset % lanes == 0 }.map(\.element)))
        })
    }
    var states: [IncidentID: IncidentState] = [:]
    for result in folded.results {
      do {
        states.merge(try result.get()) { first, _ in first }
      } catch let error as JournalError {
        throw error
      } catch {
        throw Self.map(error, path: file)
      }
    }
    return states
  }

  /// Folds each of `incidents` from its first event: on a read-only connection of its own to the
  /// file, or on the journal's writer when it was given one.
  private func fold(_ incidents: [String]) throws -> [IncidentID: IncidentState] {
    guard let file else { return try writer.read { db in try Self.fold(incidents, db) } }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(30)
    let connection = try DatabaseQueue(path: file, configuration: configuration)
    return try connection.read { db in try Self.fold(incidents, db) }
  }

  private static func fold(_ incidents: [String], _ db: Database) throws
    -> [IncidentID: IncidentState]
  {
    var states: [IncidentID: IncidentState] = [:]
    for name in incidents {
      guard let incident = IncidentID(rawValue: name) else { continue }
      var rows = try RawEventRows(
        db, sql: "SELECT \(RawEventRows.columns) FROM events WHERE incident = ? ORDER BY version",
        arguments: [name])
      var state = IncidentState(incident: incident)
      while let recorded = try rows.next() { state.apply(recorded) }
      if state.version > 0 { states[incident] = state }
    }
    return states
  }
}

/// One result per lane, set by the lane's thread.
private final class Lanes: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [Result<[IncidentID: IncidentState], any Error>]

  init(count: Int) { values = Array(repeating: .success([:]), count: count) }

  func set(_ lane: Int, _ result: Result<[IncidentID: IncidentState], any Error>) {
    lock.withLock { values[lane] = result }
  }

  var results: [Result<[IncidentID: IncidentState], any Error>] { lock.withLock { values } }
}
