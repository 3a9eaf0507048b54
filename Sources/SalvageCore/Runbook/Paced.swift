/// Runs `work` over `items` with at most `width` calls in flight, starting at most `perSecond` a
/// second, and returns the results in the items' order.
///
/// This is how salvage does its own per-run work (closed resets and their checks) over the one
/// connection: bounded, so the cluster sees a steady load like the server batcher's, and paced by
/// the injected clock, so tests take no time. The first error `work` throws stops it: nothing more
/// starts, the calls in flight are cancelled, and the error is thrown.
public func paced<Item: Sendable, Result: Sendable>(
  _ items: [Item], width: Int, perSecond: Double?, clock: any Clock<Duration>,
  _ work: @escaping @Sendable (Item) async throws -> Result
) async throws -> [Result] {
  try await paced(items, width: width, perSecond: perSecond, on: clock, work)
}

/// The work of ``paced(_:width:perSecond:clock:_:)`` on a concrete clock: the n-th call starts at
/// `start + n / perSecond`, so the time the loop itself takes does not slow the pace.
private func paced<Item: Sendable, Result: Sendable, C: Clock<Duration>>(
  _ items: [Item], width: Int, perSecond: Double?, on clock: C,
  _ work: @escaping @Sendable (Item) async throws -> Result
) async throws -> [Result] {
  let width = max(1, width)
  let start = clock.now
  let gap: Duration? = perSecond.flatMap { $0 > 0 && $0.isFinite ? .seconds(1 / $0) : nil }
  return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
    var results = [Result?](repeating: nil, count: items.count)
    var inFlight = 0
    for (index, item) in items.enumerated() {
      if inFlight == width, let (done, result) = try await group.next() {
        results[done] = result
        inFlight -= 1
      }
      if index > 0, let gap {
        try await clock.sleep(until: start.advanced(by: gap * index), tolerance: nil)
      }
      group.addTask { (index, try await work(item)) }
      inFlight += 1
    }
    for try await (done, result) in group { results[done] = result }
    return results.compactMap { $0 }
  }
}
