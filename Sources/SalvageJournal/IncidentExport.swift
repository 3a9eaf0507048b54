internal import Foundation
public import SalvageCore

/// One incident as a portable JSON Lines file: a header, its events exactly as stored (payload bytes
/// and hashes included), and the execution sets its events name.
///
/// The per-incident hash chain does not cover global positions, so an export verifies on its own
/// and keeps its hashes when imported into another journal. The header carries the last hash, so a
/// file cut short is refused too.
///
/// Format 2 is signed (``signedJSONLines(purpose:key:)``): the header names the ``Purpose`` and the
/// signer's public key, and a last line holds the Ed25519 signature of every byte before it. The
/// signature proves the file is whole as that key signed it, purpose included; that the key is the
/// sender's only when the importer pinned it (`import --trust-key`), since the key travels in the
/// file. Format 1 is unsigned (older salvage; ``jsonLines()``): at most a read-only copy.
public struct IncidentExport: Equatable, Sendable {
  public static let format = "salvage-incident-export"
  public static let formatVersion = 2

  /// What a signed export is for: only a handoff's continues the incident where it is imported.
  public enum Purpose: String, Codable, Sendable {
    /// `salvage export`: a read-only copy wherever it is imported.
    case copy
    /// `handoff --export`: the incident, sealed here, continues where it is imported.
    case handoff
  }

  /// Who signed a file, and for what.
  public struct Signature: Equatable, Sendable {
    /// The signer's public key, `ed25519:BASE64`.
    public let publicKey: String
    public let purpose: Purpose
  }

  public let incident: IncidentID
  public let events: [StoredEvent]
  public let executionSets: [String: [ExecutionRecord]]
  /// The signature the file was read with; `nil` for an unsigned (format 1) file or a new export.
  public private(set) var signature: Signature?

  public init(
    incident: IncidentID, events: [StoredEvent], executionSets: [String: [ExecutionRecord]]
  ) {
    self.incident = incident
    self.events = events
    self.executionSets = executionSets
  }

  /// The unsigned text of format 1, one JSON object per line: what older salvage wrote, imported as
  /// a read-only copy at most.
  public func jsonLines() throws -> String {
    try lines(header: Header(self, formatVersion: 1, purpose: nil, publicKey: nil))
  }

  /// The signed text (format 2): the header names `purpose` and `key`'s public half, and the last
  /// line holds `key`'s signature of every byte before it.
  public func signedJSONLines(purpose: Purpose, key: ExportSigningKey) throws -> String {
    let signed = try lines(
      header: Header(
        self, formatVersion: Self.formatVersion, purpose: purpose.rawValue,
        publicKey: key.publicKey))
    let line = try Self.encoder.encode(
      SignatureLine(kind: "signature", signature: try key.sign(Data(signed.utf8))))
    return signed + String(decoding: line, as: UTF8.self) + "\n"
  }

  private static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  private func lines(header: Header) throws -> String {
    let encoder = Self.encoder
    var lines = [try encoder.encode(header)]
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

  /// The events up to and including `eventID`'s, with their execution sets: a handoff's export is
  /// the incident as it stood when it was sealed, whatever was noted here after.
  public func cut(after eventID: String) -> IncidentExport {
    guard let last = events.firstIndex(where: { $0.eventID == eventID }) else { return self }
    let kept = Array(events[...last])
    let ids = Set(kept.map(\.eventID))
    return IncidentExport(
      incident: incident, events: kept, executionSets: executionSets.filter { ids.contains($0.key) }
    )
  }

  /// Reads and fully verifies a file; any fault is an ``ImportError`` naming its line.
  public static func read(_ text: String) throws(ImportError) -> IncidentExport {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
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
    // A signed file's last line is its signature, of every byte before that line.
    var signatureLine: (number: Int, signed: Substring, signature: String)?
    if header.formatVersion >= 2 {
      guard let last = lines.last, lines.count > 1,
        let line = try? decoder.decode(SignatureLine.self, from: Data(last.utf8)),
        line.kind == "signature"
      else {
        throw ImportError(
          line: lines.count, reason: "the file is incomplete: it does not end with its signature")
      }
      signatureLine = (lines.count, text[..<last.startIndex], line.signature)
      lines.removeLast()
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
    var export = IncidentExport(incident: incident, events: events, executionSets: sets)
    if let signatureLine {
      guard let publicKey = header.publicKey,
        let purpose = header.purpose.flatMap(Purpose.init(rawValue:))
      else {
        throw ImportError(line: 1, reason: "the header names no signer or no purpose")
      }
      guard
        ExportSigningKey.verify(
          signatureLine.signature, of: Data(signatureLine.signed.utf8), by: publicKey)
      else {
        throw ImportError(
          line: signatureLine.number,
          reason: "the signature does not match: the file was changed after \(publicKey) signed it")
      }
      export.signature = Signature(publicKey: publicKey, purpose: purpose)
    }
    return export
  }

  private struct Header: Codable {
    let format: String
    let formatVersion: Int
    let incident: String
    let events: Int
    let lastHash: String
    /// Format 2: what the file is for (``Purpose``), and who signed it (`ed25519:BASE64`).
    let purpose: String?
    let publicKey: String?

    init(_ export: IncidentExport, formatVersion: Int, purpose: String?, publicKey: String?) {
      format = IncidentExport.format
      self.formatVersion = formatVersion
      incident = export.incident.rawValue
      events = export.events.count
      lastHash = export.events.last?.hashHex ?? ""
      self.purpose = purpose
      self.publicKey = publicKey
    }
  }

  private struct SignatureLine: Codable {
    let kind: String
    let signature: String
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
