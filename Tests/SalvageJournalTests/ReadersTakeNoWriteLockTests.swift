import GRDB
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

/// A reader of the journal (`watch`, `status`) never waits for the run that appends, nor makes it
/// wait: opening a journal at the current schema writes nothing.
@Suite struct ReadersTakeNoWriteLockTests {
  @Test func aJournalAtTheCurrentSchemaOpensAndReadsWhileAnotherConnectionHoldsTheWriteLock()
    throws
  {
    // Given a journal with an opened incident, and another connection in the middle of a write
    // transaction (as a run's append is)
    let fixture = try JournalFixture(onDisk: true)
    try fixture.record([EventFactory.opened], to: try fixture.open())
    var configuration = Configuration()
    configuration.allowsUnsafeTransactions = true
    let writer = try DatabaseQueue(path: fixture.path, configuration: configuration)
    try writer.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    defer { try? writer.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") } }
    // When a reader opens the journal and reads the incident's events
    let reader = try fixture.open(create: false)
    let events = try reader.events(of: fixture.incident, after: 0)
    // Then it read them without waiting for the writer's lock
    #expect(events.count == 1)
    #expect(try reader.state(of: fixture.incident)?.phase == .opened)
  }
}
