import SalvageCore
import Synchronization

/// The last execution set this journal digested, sorted by run id, kept until its append takes
/// it: the append's check of the same set (the same array, not a copy) then neither sorts nor
/// hashes it again, and its blocks are cut from the sorted runs. Identifying 200,000 runs used to
/// sort and hash them twice.
final class DigestMemo: Sendable {
  private struct Entry: Sendable {
    // Held, so no other array can have its storage while it is remembered.
    let records: [ExecutionRecord]
    let sorted: [ExecutionRecord]
    let digest: String
  }

  private let last = Mutex<Entry?>(nil)

  /// The digest of `records`, remembered with their sorted order.
  func digest(of records: [ExecutionRecord], _ make: ([ExecutionRecord]) -> String) -> String {
    if let known = remembered(records) { return known.digest }
    let sorted = ExecutionRecord.sortedForDigest(records)
    let digest = make(sorted)
    if !records.isEmpty {
      last.withLock { $0 = Entry(records: records, sorted: sorted, digest: digest) }
    }
    return digest
  }

  /// `records` sorted by run id when they are the set last digested, which is forgotten then.
  func takeSorted(_ records: [ExecutionRecord]) -> [ExecutionRecord]? {
    last.withLock { entry in
      guard let known = entry, Self.same(known.records, records) else { return nil }
      entry = nil
      return known.sorted
    }
  }

  private func remembered(_ records: [ExecutionRecord]) -> Entry? {
    last.withLock { entry in entry.flatMap { Self.same($0.records, records) ? $0 : nil } }
  }

  /// The same array: one storage, same count (a copy that was changed has its own storage).
  private static func same(_ a: [ExecutionRecord], _ b: [ExecutionRecord]) -> Bool {
    guard a.count == b.count, !a.isEmpty else { return false }
    return a.withUnsafeBufferPointer { x in
      b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress }
    }
  }
}
