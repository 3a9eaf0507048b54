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

  /// `records` as rows: by chunk (none first), then by run id, at most ``capacity`` a block.
  ///
  /// - Throws: ``JournalError/sqlite(code:message:)`` (a constraint error, as SQLite's primary key
  ///   on run-to-a-row sets gave) when a run is in the set twice.
  static func blocks(of records: [ExecutionRecord]) throws(JournalError)
    -> [(chunk: Int?, runs: [UInt8])]
  {
    let sorted = isSortedByRunID(records) ? records : ExecutionRecord.sortedForDigest(records)
    for index in sorted.indices.dropFirst() where sorted[index].runID == sorted[index - 1].runID {
      throw .sqlite(
        code: 1555,  // SQLITE_CONSTRAINT_PRIMARYKEY
        message: "run \(sorted[index].runID) is twice in one execution set: nothing was written")
    }
    var byChunk: [Int?: [ExecutionRecord]] = [:]
    if sorted.allSatisfy({ $0.chunk == nil }) {
      byChunk[nil] = sorted
    } else {
      for record in sorted { byChunk[record.chunk, default: []].append(record) }
    }
    let chunks = byChunk.keys.sorted { ($0 ?? .min) < ($1 ?? .min) }
    var blocks: [(chunk: Int?, runs: [UInt8])] = []
    for chunk in chunks {
      let runs = byChunk[chunk] ?? []
      for start in stride(from: 0, to: runs.count, by: capacity) {
        blocks.append((chunk, encode(runs[start..<min(start + capacity, runs.count)])))
      }
    }
    return blocks
  }

  /// One block's bytes.
  static func encode(_ runs: ArraySlice<ExecutionRecord>) -> [UInt8] {
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

  /// The runs of one stored block, each in `chunk`.
  static func records(in bytes: UnsafeRawBufferPointer, chunk: Int?) throws(Malformed)
    -> [ExecutionRecord]
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
    var runs: [ExecutionRecord] = []
    while offset < bytes.count {
      let runID = try text()
      let workflowID = try text()
      let workflowType = try text()
      let statusName = try text()
      guard let status = ExecutionStatus(rawValue: statusName) else {
        throw Malformed(reason: "unknown status \(Quoted(statusName)) of run \(Quoted(runID))")
      }
      let flags = try byte()
      guard flags & ~3 == 0 else { throw Malformed(reason: "unknown flags \(flags) at \(offset)") }
      runs.append(
        ExecutionRecord(
          workflowID: workflowID, runID: runID, workflowType: workflowType, status: status,
          hasReportedProblems: flags & 1 != 0, chunk: chunk,
          firstEvent: flags & 2 != 0 ? try text() : nil))
    }
    return runs
  }

  private static func isSortedByRunID(_ records: [ExecutionRecord]) -> Bool {
    records.indices.dropFirst().allSatisfy { records[$0 - 1].runID < records[$0].runID }
  }
}
