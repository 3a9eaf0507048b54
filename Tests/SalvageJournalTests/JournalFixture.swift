import Foundation
import GRDB
import SalvageCore
import SalvageJournal
import SalvageTestSupport

/// A journal file in a temporary directory, with a stepping clock and seeded event ids.
final class JournalFixture {
  let directory: TemporaryDirectory
  let path: String
  let clock = SteppingClock()
  var factory: EventFactory
  let incident = IncidentID(rawValue: "orders-1")!

  init() throws {
    directory = try TemporaryDirectory("salvage-journal")
    path = directory.path("journal.sqlite")
    factory = EventFactory(seed: 9, clock: clock)
  }

  deinit { directory.remove() }

  /// Opens (creating on first use) the journal.
  func open(create: Bool = true, checkpointInterval: Int = 128) throws -> SQLiteEventJournal {
    try SQLiteEventJournal(
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

  /// A raw GRDB connection to the same file, for what salvage itself never does.
  func raw() throws -> DatabaseQueue {
    try DatabaseQueue(path: path)
  }

  static func notes(_ count: Int, prefix: String = "note") -> [IncidentEvent] {
    (0..<count).map { .noteAdded(NoteAdded(text: "\(prefix) \($0)")) }
  }
}
