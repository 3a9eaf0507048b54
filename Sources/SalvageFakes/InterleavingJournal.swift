public import SalvageCore
import Synchronization

/// A journal another shell writes to as well: before each append of the code under test,
/// ``interleave`` may give events that "another operator" appends first, so the append under test
/// meets a version conflict. For tests of the runner's read–decide–append loop.
public final class InterleavingJournal: WrappingJournal {
  public let inner: InMemoryEventJournal
  public var wrapped: any EventJournal { inner }
  private let pending: Mutex<(calls: Int, ids: EventFactory)>
  /// Given the n-th append under test (from 1) and its events, what the other shell appends first.
  private let interleave: @Sendable (Int, [IncidentEvent]) -> [IncidentEvent]

  public init(
    _ inner: InMemoryEventJournal,
    interleave: @escaping @Sendable (Int, [IncidentEvent]) -> [IncidentEvent]
  ) {
    self.inner = inner
    self.interleave = interleave
    pending = Mutex((0, EventFactory(seed: 99)))
  }

  /// How many appends the code under test made, conflicting ones included.
  public var appendCalls: Int { pending.withLock { $0.calls } }

  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?
  ) throws -> [RecordedEvent] {
    let first = pending.withLock { state -> [PendingEvent] in
      state.calls += 1
      return interleave(state.calls, events.map(\.event)).map { state.ids.pending($0) }
    }
    if !first.isEmpty {
      let version = try inner.state(of: incident)?.version ?? 0
      _ = try inner.append(first, to: incident, expectedVersion: version, actor: "bob")
    }
    return try inner.append(
      events, to: incident, expectedVersion: expectedVersion, actor: actor, executions: executions)
  }
}
