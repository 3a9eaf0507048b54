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
  /// chain, that every event decodes, that every execution set matches its event's digest; that
  /// each state snapshot equals the state rebuilt up to the version it covers; that each head names
  /// the phase and openness its events give; and SQLite's `integrity_check`. Never throws for what it finds: problems go into the report.
  public func verify() throws(JournalError) -> VerificationReport {
    try read { db in
      var problems: [VerificationReport.Problem] = []
      for line in try String.fetchAll(db, sql: "PRAGMA integrity_check") where line != "ok" {
        problems.append(.init(position: nil, message: "SQLite integrity_check: \(line)"))
      }
      var chains: [String: (version: Int, hash: Data)] = [:]
      var states: [IncidentID: IncidentState] = [:]
      var snapshots = try Snapshot.all(db)
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
          problem(
            "incident \(stored.incident) jumps from version \(chain.version) to \(stored.version)")
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
          if let snapshot = snapshots[recorded.incident], snapshot.version == recorded.version {
            if let message = snapshot.mismatch(states[recorded.incident]) { problem(message) }
            snapshots[recorded.incident]?.checked = true
          }
          if let digest = recorded.event.namedSetDigest,
            Self.digest(try Self.executions(namedBy: stored.eventID, db)) != digest
          {
            problem("the executions stored with this event do not match its digest")
          }
        } catch {
          problem(String(describing: error))
        }
      }
      problems += snapshotProblems(snapshots, states)
      problems += try headProblems(states, db)
      problems.sort { ($0.position ?? .max) < ($1.position ?? .max) }
      return VerificationReport(eventCount: count, incidentCount: chains.count, problems: problems)
    }
  }

  private func snapshotProblems(
    _ snapshots: [IncidentID: Snapshot], _ rebuilt: [IncidentID: IncidentState]
  )
    -> [VerificationReport.Problem]
  {
    var problems: [VerificationReport.Problem] = []
    for (incident, snapshot) in snapshots where !snapshot.checked {
      let end = rebuilt[incident]
      problems.append(
        .init(
          position: end?.lastPosition,
          message:
            "checkpoint of \(incident) covers version \(snapshot.version) at position \(snapshot.position), "
            + "the events end at version \(end?.version ?? 0), position \(end?.lastPosition ?? 0)"))
    }
    for incident in rebuilt.keys where snapshots[incident] == nil {
      problems.append(.init(position: nil, message: "incident \(incident) has no checkpoint"))
    }
    return problems
  }

  private func headProblems(_ rebuilt: [IncidentID: IncidentState], _ db: Database) throws
    -> [VerificationReport.Problem]
  {
    var problems: [VerificationReport.Problem] = []
    var seen = Set<IncidentID>()
    for row in try Row.fetchAll(db, sql: "SELECT incident, phase, is_open FROM heads") {
      let name: String = row[0]
      guard let incident = IncidentID(rawValue: name), let state = rebuilt[incident] else {
        problems.append(.init(position: nil, message: "head for \(name), which has no events"))
        continue
      }
      seen.insert(incident)
      let phase: String? = row[1]
      let open = row[2] as Int == 1
      if phase != state.phase?.rawValue || open != state.isOpen {
        problems.append(
          .init(
            position: state.lastPosition,
            message:
              "head of \(name) says phase \(phase ?? "none")\(open ? ", open" : ", closed"); its events say "
              + "phase \(state.phase?.rawValue ?? "none")\(state.isOpen ? ", open" : ", closed")"))
      }
    }
    for incident in rebuilt.keys where !seen.contains(incident) {
      problems.append(.init(position: nil, message: "incident \(incident) has no head"))
    }
    return problems
  }
}

/// A stored state snapshot, checked against the rebuilt state when the fold reaches its version.
private struct Snapshot {
  let version: Int
  let position: Int64
  let format: Int
  let json: String
  var checked = false

  static func all(_ db: Database) throws -> [IncidentID: Snapshot] {
    var snapshots: [IncidentID: Snapshot] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT incident, version, position, format, state FROM checkpoints")
    {
      guard let incident = IncidentID(rawValue: row[0]) else { continue }
      snapshots[incident] = Snapshot(
        version: row[1], position: row[2], format: row[3], json: row[4])
    }
    return snapshots
  }

  /// What is wrong with this snapshot given the state rebuilt up to its version; `nil` when right.
  func mismatch(_ rebuilt: IncidentState?) -> String? {
    guard let rebuilt else { return nil }
    guard position == rebuilt.lastPosition else {
      return "checkpoint of \(rebuilt.incident) covers version \(version) at position \(position), "
        + "but that event is at position \(rebuilt.lastPosition)"
    }
    guard format == IncidentState.format else { return nil }  // older format: rebuilt on use
    let stored = try? JSONDecoder().decode(IncidentState.self, from: Data(json.utf8))
    return stored == rebuilt
      ? nil : "checkpoint of \(rebuilt.incident) differs from the state rebuilt from its events"
  }
}
