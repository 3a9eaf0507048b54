public import SalvageCore
import Synchronization

/// An ``EventJournal`` in memory, with the same append rules as the SQLite one (expected version,
/// idempotent retry by event id). For unit tests of code above the journal.
public final class InMemoryEventJournal: EventJournal {
  private let storage = Mutex<[RecordedEvent]>([])
  private let sets = Mutex<[EventID: [ExecutionRecord]]>([:])
  private let clock: SteppingClock

  public init(clock: SteppingClock = SteppingClock()) { self.clock = clock }

  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?
  ) throws -> [RecordedEvent] {
    try executions?.check(against: events, digest: digest(of:))
    let recorded = try storage.withLock { stored in
      let mine = stored.filter { $0.incident == incident }
      if let first = events.first, mine.contains(where: { $0.id == first.id }) {
        return mine.filter { event in events.contains { $0.id == event.id } }
      }
      guard mine.count == expectedVersion else {
        throw AppendError.conflict(
          incident: incident, expected: expectedVersion, actual: mine.count)
      }
      let time = clock.now()
      let recorded = events.enumerated().map { offset, pending in
        RecordedEvent(
          position: Int64(stored.count + offset + 1), id: pending.id, incident: incident,
          version: expectedVersion + offset + 1, recordedAt: time, actor: actor,
          event: pending.event)
      }
      stored += recorded
      return recorded
    }
    if let executions {
      sets.withLock { $0[executions.eventID] = executions.records.sorted { $0.runID < $1.runID } }
    }
    return recorded
  }

  public func executions(namedBy eventID: EventID) throws -> [ExecutionRecord] {
    sets.withLock { $0[eventID] ?? [] }
  }

  /// FNV-1a over the canonical bytes: stable and cheap; the SQLite journal uses SHA-256.
  public func digest(of records: [ExecutionRecord]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in ExecutionRecord.canonicalBytes(records) {
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return String(hash, radix: 16)
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
      try state(of: id).map {
        IncidentSummary(incident: id, phase: $0.phase, version: $0.version, isOpen: $0.isOpen)
      }
    }
  }
}
