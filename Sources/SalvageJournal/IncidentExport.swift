internal import Foundation
public import SalvageCore

/// One incident as a portable JSON Lines file: a header, its events exactly as stored (payload bytes
/// and hashes included), and the execution sets its events name.
///
/// The per-incident hash chain does not cover global positions, so an export verifies on its own
/// and keeps its hashes when imported into another journal. The header carries the last hash, so a
/// file cut short is refused too.
public struct IncidentExport: Equatable, Sendable {
  public static let format = "salvage-incident-export"
  public static let formatVersion = 1

  public let incident: IncidentID
  public let events: [StoredEvent]
  public let executionSets: [String: [ExecutionRecord]]

  public init(
    incident: IncidentID, events: [StoredEvent], executionSets: [String: [ExecutionRecord]]
  ) {
    self.incident = incident
    self.events = events
    self.executionSets = executionSets
  }

  /// The file's text: one JSON object per line.
  public func jsonLines() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var lines = [
      try encoder.encode(
        Header(
          format: Self.format, formatVersion: Self.formatVersion, incident: incident.rawValue,
          events: events.count, lastHash: events.last?.hashHex ?? ""))
    ]
    for event in events {
      lines.append(
        try encoder.encode(
          EventLine(
            kind: "event", eventId: event.eventID, incident: event.incident, version: event.version,
            type: event.type, schemaVersion: event.schemaVersion,
            payload: String(decoding: event.payload, as: UTF8.self), recordedAt: event.recordedAt,
            actor: event.actor, hash: event.hashHex)))
    }
    for (eventID, records) in executionSets.sorted(by: { $0.key < $1.key }) {
      lines.append(
        try encoder.encode(
          SetLine(
            kind: "executions", eventId: eventID, records: records.map(RecordLine.init))))
    }
    return lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n") + "\n"
  }

  /// Reads and fully verifies a file; any fault is an ``ImportError`` naming its line.
  public static func read(_ text: String) throws(ImportError) -> IncidentExport {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    let decoder = JSONDecoder()
    guard let first = lines.first,
      let header = try? decoder.decode(Header.self, from: Data(first.utf8)),
      header.format == format
    else { throw ImportError(line: 1, reason: "not a salvage incident export") }
    guard header.formatVersion <= formatVersion else {
      throw ImportError(
        line: 1,
        reason:
          "export format \(header.formatVersion) is newer than this salvage reads (\(formatVersion))"
      )
    }
    guard let incident = IncidentID(rawValue: header.incident) else {
      throw ImportError(line: 1, reason: "malformed incident id")
    }
    var events: [StoredEvent] = []
    var sets: [String: [ExecutionRecord]] = [:]
    var previous = EventHash.genesis
    var namedDigests: [(eventID: String, digest: String)] = []
    for (offset, line) in lines.dropFirst().enumerated() {
      let number = offset + 2
      let data = Data(line.utf8)
      if let event = try? decoder.decode(EventLine.self, from: data), event.kind == "event" {
        guard event.incident == incident.rawValue, event.version == events.count + 1 else {
          throw ImportError(line: number, reason: "event out of order or of another incident")
        }
        let stored = StoredEvent(
          position: Int64(event.version), eventID: event.eventId, incident: event.incident,
          version: event.version,
          type: event.type, schemaVersion: event.schemaVersion, payload: Data(event.payload.utf8),
          recordedAt: event.recordedAt, actor: event.actor, hash: Data())
        let hashed = stored.with(hash: EventHash.chain(previous: previous, stored))
        guard hashed.hashHex == event.hash else {
          throw ImportError(
            line: number, reason: "hash chain broken: the event's content does not match its hash")
        }
        do {
          if let digest = try hashed.recorded().event.namedSetDigest {
            namedDigests.append((hashed.eventID, digest))
          }
        } catch {
          throw ImportError(line: number, reason: error.description)
        }
        events.append(hashed)
        previous = hashed.hash
      } else if let set = try? decoder.decode(SetLine.self, from: data), set.kind == "executions" {
        sets[set.eventId] = set.records.compactMap(\.record)
        guard sets[set.eventId]?.count == set.records.count else {
          throw ImportError(line: number, reason: "malformed execution record")
        }
      } else {
        throw ImportError(line: number, reason: "unreadable line")
      }
    }
    guard events.count == header.events, (events.last?.hashHex ?? "") == header.lastHash else {
      throw ImportError(
        line: lines.count,
        reason: "the file is incomplete: events or last hash differ from its header")
    }
    for (eventID, digest) in namedDigests
    where SQLiteEventJournal.digest(sets[eventID] ?? []) != digest {
      throw ImportError(
        line: 0, reason: "the executions of event \(eventID) do not match its digest")
    }
    return IncidentExport(incident: incident, events: events, executionSets: sets)
  }

  private struct Header: Codable {
    let format: String
    let formatVersion: Int
    let incident: String
    let events: Int
    let lastHash: String
  }

  private struct EventLine: Codable {
    let kind: String
    let eventId: String
    let incident: String
    let version: Int
    let type: String
    let schemaVersion: Int
    let payload: String
    let recordedAt: String
    let actor: String
    let hash: String
  }

  private struct RecordLine: Codable {
    let workflowId: String
    let runId: String
    let workflowType: String
    let status: String
    let problems: Bool
    let chunk: Int?
    let firstEvent: String?

    init(_ record: ExecutionRecord) {
      firstEvent = record.firstEvent
      workflowId = record.workflowID
      runId = record.runID
      workflowType = record.workflowType
      status = record.status.rawValue
      problems = record.hasReportedProblems
      chunk = record.chunk
    }

    var record: ExecutionRecord? {
      ExecutionStatus(rawValue: status).map {
        ExecutionRecord(
          workflowID: workflowId, runID: runId, workflowType: workflowType, status: $0,
          hasReportedProblems: problems, chunk: chunk, firstEvent: firstEvent)
      }
    }
  }

  private struct SetLine: Codable {
    let kind: String
    let eventId: String
    let records: [RecordLine]
  }
}

/// Why an export file was refused; nothing was imported.
public struct ImportError: Error, Equatable, Sendable, CustomStringConvertible {
  public let line: Int
  public let reason: String

  public var description: String {
    line > 0
      ? "export refused at line \(line): \(reason); nothing was imported"
      : "export refused: \(reason); nothing was imported"
  }
}
