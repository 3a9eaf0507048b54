import Foundation
import GRDB
import SalvageCore
import SalvageFakes
import SalvageJournal

/// A journal with a stepping clock and seeded event ids: in memory (one `DatabaseQueue()` every
/// ``open(create:checkpointInterval:)`` shares, as processes share a file), or with `onDisk` a file
/// in a temporary directory, for what only a file has (modes, WAL, bytes on disk).
final class JournalFixture {
  let directory: TemporaryDirectory
  /// The journal file when `onDisk`; unused otherwise.
  let path: String
  let clock = SteppingClock()
  var factory: EventFactory
  let incident = IncidentID(rawValue: "orders-1")!
  private let memory: DatabaseQueue?

  init(onDisk: Bool = false) throws {
    directory = try TemporaryDirectory("salvage-journal")
    path = directory.path("journal.sqlite")
    factory = EventFactory(seed: 9, clock: clock)
    memory = onDisk ? nil : try DatabaseQueue()
  }

  deinit { directory.remove() }

  /// Opens (creating on first use) the journal: another journal object on the same database.
  func open(create: Bool = true, checkpointInterval: Int = 128) throws -> SQLiteEventJournal {
    if let memory {
      return try SQLiteEventJournal(memory, checkpointInterval: checkpointInterval, now: clock.now)
    }
    return try SQLiteEventJournal(
      path: path, create: create, checkpointInterval: checkpointInterval, now: clock.now)
  }

  /// Appends events one by one to `incident`, as separate transactions.
  @discardableResult
  func record(
    _ events: [IncidentEvent], to journal: SQLiteEventJournal, incident: IncidentID? = nil
  ) throws -> [RecordedEvent] {
    let target = incident ?? self.incident
    var recorded: [RecordedEvent] = []
    for event in events {
      let version = try journal.state(of: target)?.version ?? 0
      recorded += try journal.append(
        [factory.pending(event)], to: target, expectedVersion: version, actor: "alice")
    }
    return recorded
  }

  /// A raw GRDB connection to the same database, for what salvage itself never does.
  func raw() throws -> any DatabaseWriter {
    try memory ?? DatabaseQueue(path: path)
  }

  static func notes(_ count: Int, prefix: String = "note") -> [IncidentEvent] {
    (0..<count).map { .noteAdded(NoteAdded(text: "\(prefix) \($0)")) }
  }
}
