import Foundation
import SalvageCore
import SalvageJournal
import SalvageTemporal

/// The identify step's own path from `ListWorkflowExecutions` pages to the journal: every page
/// (serialized as the server sends it, each prefixed by its length as 4 bytes big-endian) is
/// decoded by the native client's reader with its search attributes, and the records, their groups
/// and digest are journaled as one identification with its execution set.
enum Ingest {
  static func run(pages path: String, journal: String) throws -> Int {
    // Page by page, as the client receives them: never the whole listing in memory. Each page is
    // read into one reused buffer and handed over without a copy, as the client's deserializer is
    // handed the bytes it received (Foundation's FileHandle made a new buffer a page, 8% of a run).
    guard let file = fopen(path, "rb") else { throw CocoaError(.fileNoSuchFile) }
    defer { fclose(file) }
    let start = ContinuousClock.now
    var records: [ExecutionRecord] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var prefix = [UInt8](repeating: 0, count: 4)
    while fread(&prefix, 1, 4, file) == 4 {
      let length = prefix.reduce(0) { $0 << 8 | Int($1) }
      if length > buffer.count { buffer = [UInt8](repeating: 0, count: length) }
      guard fread(&buffer, 1, length, file) == length else { break }
      try buffer.withUnsafeMutableBytes { bytes in
        guard let base = bytes.baseAddress else { return }
        let page = Data(bytesNoCopy: base, count: length, deallocator: .none)
        for summary in try ListPage.summaries(page) { records.append(ExecutionRecord(summary)) }
      }
    }
    let listed = ContinuousClock.now
    defer {
      // The split, for reading a figure (tools/bench shows only the process's wall time).
      let journaled = ContinuousClock.now
      FileHandle.standardError.write(
        Data("listed in \(listed - start), journaled in \(journaled - listed)\n".utf8))
    }
    let path = journal
    let clock = BenchClock()
    let journal = try SQLiteEventJournal(path: path, create: true, now: clock.now)
    var generator = FastRandom()
    let incident = try IncidentID.parse("bench-1")
    let opened = PendingEvent(
      id: EventID.make(at: clock.now(), using: &generator),
      event: Generate.event(version: 1, round: 0))
    ExecutionRecord.keepLastListing(&records)  // as identify does
    let identified = AffectedExecutionsIdentified(
      groups: AffectedGroup.groups(of: records), unpinnedWithProblems: 0,
      executionCount: records.count,
      digest: journal.digest(of: records))
    let event = PendingEvent(
      id: EventID.make(at: clock.now(), using: &generator), event: .affectedIdentified(identified))
    _ = try journal.append(
      [opened, event], to: incident, expectedVersion: 0, actor: "bench",
      executions: ExecutionSet(eventID: event.id, records: records, digest: identified.digest))
    return records.count
  }
}
