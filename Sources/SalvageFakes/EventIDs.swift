public import SalvageCore
import Synchronization

/// Event ids for every runner of one test's world, never repeated across runs, seeded so a run
/// is the same every time.
public final class EventIDs: Sendable {
  private let factory: Mutex<EventFactory>

  public init(seed: UInt64 = 5) { factory = Mutex(EventFactory(seed: seed)) }

  public func next() -> EventID {
    factory.withLock { $0.pending(.noteAdded(NoteAdded(text: ""))).id }
  }
}
