/// One execution in a recorded set (an identification, or the closed runs frozen for reset).
public struct ExecutionRecord: Equatable, Hashable, Sendable {
  public let workflowID: String
  public let runID: String
  public let workflowType: String
  public let status: ExecutionStatus
  public let hasReportedProblems: Bool
  /// The reset chunk, for frozen closed targets.
  public let chunk: Int?

  public init(
    workflowID: String, runID: String, workflowType: String, status: ExecutionStatus,
    hasReportedProblems: Bool, chunk: Int? = nil
  ) {
    self.workflowID = workflowID
    self.runID = runID
    self.workflowType = workflowType
    self.status = status
    self.hasReportedProblems = hasReportedProblems
    self.chunk = chunk
  }

  /// The canonical text of a set, hashed into its digest: one line per run, sorted by run id,
  /// tab-separated, so the digest is the same wherever the set was listed.
  public static func canonicalText(_ records: [ExecutionRecord]) -> String {
    records.sorted { $0.runID < $1.runID }.map { record in
      [record.runID, record.workflowID, record.workflowType, record.status.rawValue,
       record.hasReportedProblems ? "1" : "0", record.chunk.map(String.init) ?? ""]
        .map { $0.replacingTabsAndNewlines() }.joined(separator: "\t")
    }.joined(separator: "\n")
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
  /// Whether the set's digest is that of its records and the one its naming event (among `events`)
  /// carries: journals check this before writing either.
  public func isConsistent(with events: [PendingEvent], digest: ([ExecutionRecord]) -> String) -> Bool {
    let naming = events.first { $0.id == eventID }?.event.namedSetDigest
    return naming == self.digest && digest(records) == self.digest
  }
}

extension String {
  fileprivate func replacingTabsAndNewlines() -> String {
    String(unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : Character($0) })
  }
}
