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

  /// The set's runs by run id: from its blocks, or from its rows when an older salvage wrote it
  /// a run to a row (schema/0006), never from both; only `chunk`'s when one is given.
  static func executions(namedBy eventID: String, chunk: Int? = nil, _ db: Database) throws
    -> [ExecutionRecord]
  {
    let arguments: StatementArguments = chunk.map { [eventID, $0] } ?? [eventID]
    let filter = "WHERE event_id = ?\(chunk == nil ? "" : " AND chunk = ?")"
    let inBlocks =
      try Bool.fetchOne(
        db, sql: "SELECT EXISTS (SELECT 1 FROM execution_blocks WHERE event_id = ?)",
        arguments: [eventID]) ?? false
    guard inBlocks else {
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT workflow_id, run_id, workflow_type, status, problems, chunk, first_event
          FROM execution_sets \(filter) ORDER BY run_id
          """, arguments: arguments
      ).map { row in
        ExecutionRecord(
          workflowID: row[0], runID: row[1], workflowType: row[2],
          status: ExecutionStatus(rawValue: row[3]) ?? .running,
          hasReportedProblems: row[4] as Int == 1,
          chunk: row[5], firstEvent: row[6])
      }
      // SQLite orders by bytes; a set is read back in String's order, as it was digested.
      return chunk == nil ? ExecutionRecord.sortedForDigest(rows) : rows
    }
    var runs: [ExecutionRecord] = []
    let blocks = try Row.fetchCursor(
      db, sql: "SELECT chunk, runs FROM execution_blocks \(filter) ORDER BY block",
      arguments: arguments)
    while let block = try blocks.next() {
      do throws(ExecutionBlock.Malformed) {
        runs += try ExecutionBlock.records(in: block[1] as Data, chunk: block[0])
      } catch {
        throw JournalError.unreadableExecutionSet(eventID: eventID, reason: error.reason)
      }
    }
    // A set's blocks go chunk by chunk; the whole set is read back in run-id order.
    return chunk == nil ? ExecutionRecord.sortedForDigest(runs) : runs
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
    var hash = SHA256()
    ExecutionRecord.canonicalText(sorted: records) { hash.update(bufferPointer: $0) }
    return Hex.lowercase(Array(hash.finalize()))
  }
}
