public import SalvageCore
import Synchronization

/// An ``EventJournal`` in memory, with the same append rules as the SQLite one (expected version,
/// idempotent retry by event id). For unit tests of code above the journal.
public final class InMemoryEventJournal: EventJournal {
  private let storage = Mutex<[RecordedEvent]>([])
  private let clock: SteppingClock

  public init(clock: SteppingClock = SteppingClock()) { self.clock = clock }

  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String
  ) throws -> [RecordedEvent] {
    try storage.withLock { stored in
      let mine = stored.filter { $0.incident == incident }
      if let first = events.first, mine.contains(where: { $0.id == first.id }) {
        return mine.filter { event in events.contains { $0.id == event.id } }
      }
      guard mine.count == expectedVersion else {
        throw AppendError.conflict(incident: incident, expected: expectedVersion, actual: mine.count)
      }
      let time = clock.now()
      let recorded = events.enumerated().map { offset, pending in
        RecordedEvent(
          position: Int64(stored.count + offset + 1), id: pending.id, incident: incident,
          version: expectedVersion + offset + 1, recordedAt: time, actor: actor, event: pending.event)
      }
      stored += recorded
      return recorded
    }
  }

  public func events(of incident: IncidentID) throws -> [RecordedEvent] {
    storage.withLock { $0.filter { $0.incident == incident } }
  }

  public func state(of incident: IncidentID) throws -> IncidentState? {
    let events = try events(of: incident)
    return events.isEmpty ? nil : IncidentState.replay(incident, events)
  }

  public func incidents() throws -> [IncidentSummary] {
    let ids = Set(storage.withLock { $0.map(\.incident) })
    return try ids.sorted().compactMap { id in
      try state(of: id).map { IncidentSummary(incident: id, phase: $0.phase, version: $0.version, isOpen: $0.isOpen) }
    }
  }
}
