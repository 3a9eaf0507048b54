import Crypto
import Foundation
import GRDB
public import SalvageCore

extension SQLiteEventJournal {
  /// The executions stored beside the event with this id, sorted by run id.
  public func executions(namedBy eventID: EventID) throws -> [ExecutionRecord] {
    try read { db in try Self.executions(namedBy: eventID.rawValue, db) }
  }

  /// One chunk of the set, selected by SQLite: the rest of the set never becomes records.
  public func executions(namedBy eventID: EventID, chunk: Int) throws -> [ExecutionRecord] {
    try read { db in try Self.executions(namedBy: eventID.rawValue, chunk: chunk, db) }
  }

  static func executions(namedBy eventID: String, chunk: Int? = nil, _ db: Database) throws
    -> [ExecutionRecord]
  {
    let arguments: StatementArguments = chunk.map { [eventID, $0] } ?? [eventID]
    return try Row.fetchAll(
      db,
      sql: """
        SELECT workflow_id, run_id, workflow_type, status, problems, chunk, first_event FROM execution_sets
        WHERE event_id = ?\(chunk == nil ? "" : " AND chunk = ?") ORDER BY run_id
        """, arguments: arguments
    ).map { row in
      ExecutionRecord(
        workflowID: row[0], runID: row[1], workflowType: row[2],
        status: ExecutionStatus(rawValue: row[3]) ?? .running,
        hasReportedProblems: row[4] as Int == 1,
        chunk: row[5], firstEvent: row[6])
    }
  }

  /// SHA-256 of the set's canonical text, lowercase hex. The set is remembered until it is
  /// appended (``DigestMemo``).
  public func digest(of records: [ExecutionRecord]) -> String {
    digests.digest(of: records, Self.digest(sorted:))
  }

  static func digest(_ records: [ExecutionRecord]) -> String {
    digest(sorted: ExecutionRecord.sortedForDigest(records))
  }

  static func digest(sorted records: [ExecutionRecord]) -> String {
    Hex.lowercase(Array(SHA256.hash(data: ExecutionRecord.canonicalBytes(sorted: records))))
  }
}
