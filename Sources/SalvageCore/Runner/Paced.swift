/// Runs `work` over `items` with at most `width` of them in progress at once, and returns the
/// results in the items' order.
///
/// This is how salvage goes through its own per-run work (closed resets and their checks,
/// restarts, the freeze's reads): the calls each item makes are paced by the run's
/// ``CallLimiter``; `width` only keeps enough items in progress to give it work. The first error
/// `work` throws stops it: nothing more starts, the items in progress are cancelled, and the
/// error is thrown.
public func paced<Item: Sendable, Result: Sendable>(
  _ items: [Item], width: Int, _ work: @escaping @Sendable (Item) async throws -> Result
) async throws -> [Result] {
  let width = max(1, width)
  return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
    var results = [Result?](repeating: nil, count: items.count)
    var inProgress = 0
    for (index, item) in items.enumerated() {
      if inProgress == width, let (done, result) = try await group.next() {
        results[done] = result
        inProgress -= 1
      }
      group.addTask { (index, try await work(item)) }
      inProgress += 1
    }
    for try await (done, result) in group { results[done] = result }
    return results.compactMap { $0 }
  }
}
