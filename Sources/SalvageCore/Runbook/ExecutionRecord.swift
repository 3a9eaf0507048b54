/// One execution in a recorded set (an identification, or the closed runs frozen for reset).
public struct ExecutionRecord: Equatable, Hashable, Sendable {
  public let workflowID: String
  public let runID: String
  public let workflowType: String
  public let status: ExecutionStatus
  public let hasReportedProblems: Bool
  /// The reset chunk, for frozen closed targets.
  public let chunk: Int?
  /// The digest of the run's first history event (``FirstEvent/digest``), for runs frozen to be
  /// restarted: the start sends the arguments of an event with this digest, or nothing.
  public let firstEvent: String?

  public init(
    workflowID: String, runID: String, workflowType: String, status: ExecutionStatus,
    hasReportedProblems: Bool, chunk: Int? = nil, firstEvent: String? = nil
  ) {
    self.firstEvent = firstEvent
    self.workflowID = workflowID
    self.runID = runID
    self.workflowType = workflowType
    self.status = status
    self.hasReportedProblems = hasReportedProblems
    self.chunk = chunk
  }

  /// The same run as a freeze records it: in reset chunk `chunk` (closed targets), with the digest
  /// of its first event (runs a restart starts again from it).
  public func frozen(chunk: Int? = nil, firstEvent: String?) -> ExecutionRecord {
    ExecutionRecord(
      workflowID: workflowID, runID: runID, workflowType: workflowType, status: status,
      hasReportedProblems: hasReportedProblems, chunk: chunk, firstEvent: firstEvent)
  }

  /// An identified execution: its status (Running when visibility omits it) and whether it has
  /// the runbook's reported problems.
  public init(_ execution: WorkflowExecutionSummary) {
    self.init(
      workflowID: execution.workflowID, runID: execution.runID, workflowType: execution.type,
      status: execution.status ?? .running,
      hasReportedProblems: execution.reportedProblems.contains {
        $0 == "category=WorkflowTaskFailed" || $0 == "category=WorkflowTaskTimedOut"
      })
  }

  /// The canonical text of a set as UTF-8, hashed into its digest: one line per run, sorted by
  /// run id, tab-separated (tabs and newlines inside values become spaces), so the digest is the
  /// same wherever the set was listed.
  public static func canonicalBytes(_ records: [ExecutionRecord]) -> [UInt8] {
    canonicalBytes(sorted: sortedForDigest(records))
  }

  /// Puts runs listed by visibility in run-id order, each once: where a run was listed twice (its
  /// sort key moved between two pages, as when it closed while the list was paged), its later
  /// listing stands. In place, so a large set is never held twice.
  public static func keepLastListing(_ records: inout [ExecutionRecord]) {
    records.sort { $0.runID < $1.runID }  // stable: a run's listings keep their order
    var kept = 0
    for index in records.indices
    where index + 1 == records.count || records[index + 1].runID != records[index].runID {
      records.swapAt(kept, index)
      kept += 1
    }
    records.removeLast(records.count - kept)
  }

  /// `records` in the canonical text's order: by run id. A set already in that order is given
  /// back as it is, not copied.
  public static func sortedForDigest(_ records: [ExecutionRecord]) -> [ExecutionRecord] {
    let ordered = records.indices.dropFirst().allSatisfy {
      records[$0 - 1].runID <= records[$0].runID
    }
    return ordered ? records : records.sorted(by: { $0.runID < $1.runID })
  }

  /// The canonical text of records already in ``sortedForDigest(_:)``'s order.
  public static func canonicalBytes(sorted records: [ExecutionRecord]) -> [UInt8] {
    var bytes: [UInt8] = []
    canonicalText(sorted: records) { bytes.append(contentsOf: $0) }
    return bytes
  }

  /// The canonical text of records already in ``sortedForDigest(_:)``'s order, handed to `consume`
  /// in pieces of about 64 KiB: a digest hashes them as they come, never holding the whole text (a
  /// million runs' is about 100 MB).
  public static func canonicalText(
    sorted records: [ExecutionRecord], _ consume: (UnsafeRawBufferPointer) -> Void
  ) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity((1 << 16) + 1_024)
    func field(_ text: String) {
      var text = text
      text.withUTF8 { utf8 in
        // Most values hold no tab or line break: copied whole, not byte by byte.
        guard utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
          bytes.append(contentsOf: utf8)
          return
        }
        for byte in utf8 {
          bytes.append(byte == 0x09 || byte == 0x0A || byte == 0x0D ? 0x20 : byte)
        }
      }
    }
    for (index, record) in records.enumerated() {
      if index > 0 { bytes.append(0x0A) }
      field(record.runID)
      bytes.append(0x09)
      field(record.workflowID)
      bytes.append(0x09)
      field(record.workflowType)
      bytes.append(0x09)
      field(record.status.rawValue)
      bytes.append(0x09)
      bytes.append(record.hasReportedProblems ? 0x31 : 0x30)
      bytes.append(0x09)
      if let chunk = record.chunk { field(String(chunk)) }
      // Only sets frozen for a restart have it: every older set keeps its digest.
      if let firstEvent = record.firstEvent {
        bytes.append(0x09)
        field(firstEvent)
      }
      if bytes.count >= 1 << 16 {
        bytes.withUnsafeBytes(consume)
        bytes.removeAll(keepingCapacity: true)
      }
    }
    if !bytes.isEmpty { bytes.withUnsafeBytes(consume) }
  }
}

/// A set of executions to store beside the event that names it, in the same transaction.
public struct ExecutionSet: Sendable {
  /// The id of the event (in the same append) that names the set and holds its digest.
  public let eventID: EventID
  public let records: [ExecutionRecord]
  public let digest: String

  public init(eventID: EventID, records: [ExecutionRecord], digest: String) {
    self.eventID = eventID
    self.records = records
    self.digest = digest
  }
}

extension ExecutionSet {
  /// Refuses the set unless its digest is that of its records and the one its naming event (among
  /// `events`) carries: every journal checks this, here, before writing either.
  ///
  /// - Throws: ``AppendError/digestMismatch(_:)``.
  public func check(against events: [PendingEvent], digest: ([ExecutionRecord]) -> String)
    throws(AppendError)
  {
    let naming = events.first { $0.id == eventID }?.event.namedSetDigest
    guard naming == self.digest, digest(records) == self.digest else {
      throw .digestMismatch(eventID)
    }
  }
}

extension AffectedGroup {
  /// Counts per Workflow Type and status, with how many have reported problems, sorted.
  public static func groups(of records: [ExecutionRecord]) -> [AffectedGroup] {
    struct Key: Hashable {
      let type: String
      let status: ExecutionStatus
    }
    var groups: [Key: (count: Int, problems: Int)] = [:]
    for record in records {
      groups[Key(type: record.workflowType, status: record.status), default: (0, 0)].count += 1
      if record.hasReportedProblems {
        groups[Key(type: record.workflowType, status: record.status), default: (0, 0)].problems += 1
      }
    }
    return
      groups
      .map {
        AffectedGroup(
          workflowType: $0.key.type, status: $0.key.status, count: $0.value.count,
          withReportedProblems: $0.value.problems)
      }
      .sorted { ($0.workflowType, $0.status.rawValue) < ($1.workflowType, $1.status.rawValue) }
  }
}
