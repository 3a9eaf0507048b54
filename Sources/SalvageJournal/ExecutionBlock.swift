import Foundation
import SalvageCore

/// How an execution set is stored: a block of up to ``capacity`` runs of one reset chunk (or of
/// none) to a row of `execution_blocks`, sorted by run id (schema/0006).
///
/// A block's bytes are a format byte (1), then each run in turn: its run id, workflow id, Workflow
/// Type and status as visibility names it, each a LEB128 length and its UTF-8; a flags byte (1: it
/// had the runbook's reported problems, 2: a first-event digest follows); the digest when flagged.
/// The chunk is the row's.
enum ExecutionBlock {
  static let format: UInt8 = 1
  static let capacity = 1_000

  /// Why a stored block cannot be read back.
  struct Malformed: Error, Equatable {
    let reason: String
  }

  /// Hands `write` the set's rows one at a time, each block encoded just before and dropped just
  /// after (a million runs' blocks are about 100 MB): by chunk (none first), then by run id, at
  /// most ``capacity`` runs a block.
  ///
  /// - Throws: ``JournalError/sqlite(code:message:)`` with SQLite's constraint code, as the primary
  ///   key of run-to-a-row sets gave it, when a run is in the set twice; or when a value is too
  ///   long to be read back. Nothing has been written then.
  static func forEachBlock(
    of records: [ExecutionRecord], maximumLength: Int = maximumLength,
    _ write: (_ chunk: Int?, _ bytes: [UInt8]) throws -> Void
  ) throws {
    let sorted = ExecutionRecord.sortedForDigest(records)
    for index in sorted.indices {
      // As String compares them, the order the set is sorted and digested in: equal run ids are
      // next to each other once sorted (also two spellings of one text, which a set holds once).
      if index > 0, sorted[index].runID == sorted[index - 1].runID {
        throw JournalError.sqlite(
          code: 19,  // SQLITE_CONSTRAINT
          message: "run \(sorted[index].runID) is twice in one execution set: nothing was written")
      }
      let run = sorted[index]
      for value in [run.runID, run.workflowID, run.workflowType, run.firstEvent ?? ""]
      where value.utf8.count > maximumLength {
        throw JournalError.sqlite(
          code: 18,  // SQLITE_TOOBIG
          message: "run \(Quoted(run.runID)) has a value of \(value.utf8.count) bytes, over the "
            + "\(maximumLength) an execution set stores: nothing was written")
      }
    }
    // A freeze numbers its chunks in run-id order, so its runs are in chunk order already; any
    // other set is put in chunk order by index, never by copying its runs.
    func key(_ index: Int) -> (Int, Int) {
      (sorted[index].chunk == nil ? 0 : 1, sorted[index].chunk ?? 0)  // none first
    }
    let inChunkOrder = sorted.indices.dropFirst().allSatisfy { key($0 - 1) <= key($0) }
    let order =
      inChunkOrder
      ? Array(sorted.indices)
      : sorted.indices.sorted { (key($0).0, key($0).1, $0) < (key($1).0, key($1).1, $1) }
    var start = 0
    while start < order.count {
      let chunk = sorted[order[start]].chunk
      var end = start + 1
      while end < order.count, end - start < capacity, sorted[order[end]].chunk == chunk {
        end += 1
      }
      try write(chunk, encode(order[start..<end].lazy.map { sorted[$0] }))
      start = end
    }
  }

  /// The longest value a block stores: the longest length its reader takes (4 bytes of LEB128).
  static let maximumLength = (1 << 28) - 1

  /// One block's bytes.
  static func encode(_ runs: some Collection<ExecutionRecord>) -> [UInt8] {
    var bytes: [UInt8] = [format]
    bytes.reserveCapacity(runs.count * 96)
    func text(_ value: String) {
      var length = value.utf8.count
      while length >= 0x80 {
        bytes.append(UInt8(length & 0x7F) | 0x80)
        length >>= 7
      }
      bytes.append(UInt8(length))
      bytes.append(contentsOf: value.utf8)
    }
    for run in runs {
      text(run.runID)
      text(run.workflowID)
      text(run.workflowType)
      text(run.status.rawValue)
      bytes.append((run.hasReportedProblems ? 1 : 0) | (run.firstEvent == nil ? 0 : 2))
      if let firstEvent = run.firstEvent { text(firstEvent) }
    }
    return bytes
  }

  /// The runs of one stored block (a blob column's `Data`, or any bytes), each in `chunk`.
  static func records(in block: some ContiguousBytes, chunk: Int?) throws(Malformed)
    -> [ExecutionRecord]
  {
    // `withUnsafeBytes` rethrows untyped: the typed error comes back through a Result.
    try block.withUnsafeBytes { bytes in
      Result { () throws(Malformed) in try records(inBytes: bytes, chunk: chunk) }
    }.get()
  }

  private static func records(inBytes bytes: UnsafeRawBufferPointer, chunk: Int?)
    throws(Malformed) -> [ExecutionRecord]
  {
    guard let first = bytes.first else { throw Malformed(reason: "an empty block") }
    guard first == format else { throw Malformed(reason: "unknown block format \(first)") }
    var offset = 1
    func byte() throws(Malformed) -> UInt8 {
      guard offset < bytes.count else {
        throw Malformed(reason: "block ends inside a run at byte \(offset)")
      }
      defer { offset += 1 }
      return bytes[offset]
    }
    func text() throws(Malformed) -> String {
      var length = 0
      var shift = 0
      while true {
        let next = try byte()
        guard shift < 28 else { throw Malformed(reason: "a length over 4 bytes at byte \(offset)") }
        length |= Int(next & 0x7F) << shift
        shift += 7
        if next < 0x80 { break }
      }
      guard length <= bytes.count - offset else {
        throw Malformed(reason: "a text of \(length) bytes past the block's end at byte \(offset)")
      }
      let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
      guard let value = String(validating: slice, as: UTF8.self) else {
        throw Malformed(reason: "a text that is not UTF-8 at byte \(offset)")
      }
      offset += length
      return value
    }
    guard bytes.count > 1 else { throw Malformed(reason: "a block of no runs") }
    var runs: [ExecutionRecord] = []
    while offset < bytes.count {
      let runID = try text()
      // In the order the writer sorted them (String's), each run once.
      if let previous = runs.last?.runID, !(previous < runID) {
        throw Malformed(
          reason: "run \(Quoted(runID)) out of run-id order after \(Quoted(previous))")
      }
      let workflowID = try text()
      let workflowType = try text()
      let statusName = try text()
      guard let status = ExecutionStatus(rawValue: statusName) else {
        throw Malformed(reason: "unknown status \(Quoted(statusName)) of run \(Quoted(runID))")
      }
      let flags = try byte()
      guard flags & ~3 == 0 else {
        throw Malformed(reason: "unknown flags \(flags) at byte \(offset - 1)")
      }
      runs.append(
        ExecutionRecord(
          workflowID: workflowID, runID: runID, workflowType: workflowType, status: status,
          hasReportedProblems: flags & 1 != 0, chunk: chunk,
          firstEvent: flags & 2 != 0 ? try text() : nil))
    }
    return runs
  }

}
