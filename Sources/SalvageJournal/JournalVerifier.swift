import Foundation
import GRDB
import SalvageCore

/// What `salvage verify` found.
public struct VerificationReport: Equatable, Sendable {
  /// One thing that is wrong, at a position when it belongs to one.
  public struct Problem: Equatable, Sendable, CustomStringConvertible {
    public let position: Int64?
    public let message: String

    public var description: String {
      if let position { "position \(position): \(message)" } else { message }
    }
  }

  /// How many events were read.
  public let eventCount: Int
  /// How many incidents they belong to.
  public let incidentCount: Int
  /// The problems, first by position; empty when the journal verifies.
  public let problems: [Problem]

  /// True when nothing is wrong.
  public var isIntact: Bool { problems.isEmpty }
  /// The first problem, the one to name.
  public var firstProblem: Problem? { problems.first }
}

extension SQLiteEventJournal {
  /// Rebuilds every incident from position 1 and checks the journal end to end.
  ///
  /// Checks, in order of position: gapless positions, contiguous versions per incident, the hash
  /// chain, that every event decodes, that every execution set matches its event's digest; then that each checkpoint equals the rebuilt state, and
  /// SQLite's `integrity_check`. Never throws for what it finds: problems go into the report.
  public func verify() throws(JournalError) -> VerificationReport {
    try read { db in
      var problems: [VerificationReport.Problem] = []
      for line in try String.fetchAll(db, sql: "PRAGMA integrity_check") where line != "ok" {
        problems.append(.init(position: nil, message: "SQLite integrity_check: \(line)"))
      }
      var chains: [String: (version: Int, hash: Data)] = [:]
      var states: [IncidentID: IncidentState] = [:]
      var expectedPosition: Int64 = 1
      var count = 0
      let rows = try Row.fetchCursor(
        db, sql: "SELECT \(StoredEvent.columns) FROM events ORDER BY position")
      while let row = try rows.next() {
        let stored = StoredEvent(row: row)
        count += 1
        func problem(_ message: String) {
          problems.append(.init(position: stored.position, message: message))
        }
        if stored.position != expectedPosition {
          problem("gap: position \(expectedPosition) is missing")
        }
        expectedPosition = stored.position + 1
        let chain = chains[stored.incident] ?? (0, EventHash.genesis)
        if stored.version != chain.version + 1 {
          problem("incident \(stored.incident) jumps from version \(chain.version) to \(stored.version)")
        }
        let computed = EventHash.chain(previous: chain.hash, stored)
        if computed != stored.hash {
          problem("hash chain broken: stored hash does not match the event's content")
        }
        chains[stored.incident] = (stored.version, stored.hash)
        do {
          let recorded = try stored.recorded()
          states[recorded.incident, default: IncidentState(incident: recorded.incident)]
            .apply(recorded)
          if let digest = recorded.event.namedSetDigest,
            Self.digest(try Self.executions(namedBy: stored.eventID, db)) != digest
          {
            problem("the executions stored with this event do not match its digest")
          }
        } catch {
          problem(String(describing: error))
        }
      }
      problems += try checkpointProblems(states, db)
      problems.sort { ($0.position ?? .max) < ($1.position ?? .max) }
      return VerificationReport(eventCount: count, incidentCount: chains.count, problems: problems)
    }
  }

  private func checkpointProblems(_ rebuilt: [IncidentID: IncidentState], _ db: Database) throws
    -> [VerificationReport.Problem]
  {
    var problems: [VerificationReport.Problem] = []
    var seen = Set<IncidentID>()
    let rows = try Row.fetchAll(
      db, sql: "SELECT incident, version, position, format, state FROM checkpoints")
    for row in rows {
      let name: String = row[0]
      guard let incident = IncidentID(rawValue: name), let state = rebuilt[incident] else {
        problems.append(.init(position: nil, message: "checkpoint for \(name), which has no events"))
        continue
      }
      seen.insert(incident)
      let position: Int64 = row[2]
      guard row[1] as Int == state.version, position == state.lastPosition else {
        problems.append(
          .init(
            position: min(position, state.lastPosition),
            message: "checkpoint of \(name) covers version \(row[1] as Int) at position \(position), "
              + "the events end at version \(state.version), position \(state.lastPosition)"))
        continue
      }
      guard row[3] as Int == IncidentState.format else { continue }  // older format: rebuilt on use
      let stored = try? JSONDecoder().decode(
        IncidentState.self, from: Data((row[4] as String).utf8))
      if stored != state {
        problems.append(
          .init(
            position: state.lastPosition,
            message: "checkpoint of \(name) differs from the state rebuilt from its events"))
      }
    }
    for incident in rebuilt.keys where !seen.contains(incident) {
      problems.append(.init(position: nil, message: "incident \(incident) has no checkpoint"))
    }
    return problems
  }
}
