import SalvageCore

/// Events as a journal hands them back, recorded by alice: numbered from `first`, one second apart
/// from `start`, their ids from a fixed generator (so the goldens never change).
func recordedEvents(
  _ events: [IncidentEvent], of incident: IncidentID, from first: Int = 1,
  startingAt start: Int64 = 1_795_000_000_000
) -> [RecordedEvent] {
  events.enumerated().map { index, event in
    let at = UTCTime(millisecondsSinceEpoch: start + Int64(index) * 1000)
    var generator = FixedGenerator(seed: UInt64(first + index))
    return RecordedEvent(
      position: Int64(first + index), id: EventID.make(at: at, using: &generator),
      incident: incident, version: first + index, recordedAt: at, actor: "alice", event: event)
  }
}

/// A deterministic generator, so event ids (and so the goldens) never change.
struct FixedGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state
  }
}
