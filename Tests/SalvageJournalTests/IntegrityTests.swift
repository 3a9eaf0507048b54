import Foundation
import GRDB
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

@Suite struct IntegrityTests {
  @Test(arguments: [
    "UPDATE events SET actor = 'mallory' WHERE position = 1",
    "DELETE FROM events WHERE position = 1",
  ])
  func triggersRefuseToRewriteOrDeleteEvents(sql: String) throws {
    // Given a journal with one event
    let fixture = try JournalFixture()
    do { try fixture.record([EventFactory.opened], to: try fixture.open()) }
    // When someone tries to change history with raw SQL
    let raw = try fixture.raw()
    #expect {
      try raw.write { db in try db.execute(sql: sql) }
    } throws: { error in
      // Then SQLite refuses, naming the rule
      (error as? DatabaseError)?.message?.contains("append-only") == true
    }
    let actor = try raw.read { db in try String.fetchOne(db, sql: "SELECT actor FROM events") }
    #expect(actor == "alice")
  }

  @Test func eachHashChainsFromThePreviousEventOfTheSameIncident() throws {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened] + JournalFixture.notes(3), to: journal)
    let rows = try journal.storedEvents(of: fixture.incident)
    var previous = EventHash.genesis
    for row in rows {
      #expect(row.hash == EventHash.chain(previous: previous, row))
      previous = row.hash
    }
    #expect(Set(rows.map(\.hash)).count == rows.count)
  }

  @Test func aFlippedByteInACopyIsFoundAtItsPosition() throws {
    // Given a closed journal with a distinctive note at position 3
    let fixture = try JournalFixture(onDisk: true)
    do {
      let journal = try fixture.open()
      try fixture.record([EventFactory.opened, .noteAdded(NoteAdded(text: "plain"))], to: journal)
      try fixture.record([.noteAdded(NoteAdded(text: "FLIPMEFLIPME"))], to: journal)
      try fixture.record(JournalFixture.notes(2), to: journal)
    }
    // When one bit of that note is flipped in a copy of the file
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture.path)))
    let marker = Array("FLIPMEFLIPME".utf8)
    var flipped = 0
    for start in 0...(bytes.count - marker.count)
    where Array(bytes[start..<start + marker.count]) == marker {
      bytes[start] ^= 0x01  // 'F' becomes 'G': still valid JSON, different content
      flipped += 1
    }
    #expect(flipped >= 1)
    let copy = fixture.directory.path("copy.sqlite")
    #expect(
      FileManager.default.createFile(
        atPath: copy, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
    // Then verify names position 3 first, and the original still verifies
    let report = try SQLiteEventJournal(path: copy, create: false, now: fixture.clock.now).verify()
    #expect(!report.isIntact)
    #expect(report.firstProblem?.position == 3)
    #expect(report.firstProblem?.message.contains("hash chain broken") == true)
    #expect(try fixture.open(create: false).verify().isIntact)
  }

  @Test func aCheckpointThatDisagreesWithTheEventsIsReported() throws {
    let fixture = try JournalFixture()
    do {
      try fixture.record([EventFactory.opened] + JournalFixture.notes(1), to: try fixture.open())
    }
    try fixture.raw().write { db in
      try db.execute(
        sql:
          "UPDATE checkpoints SET state = replace(state, '\"phase\":\"opened\"', '\"phase\":\"cleaned\"')"
      )
    }
    let report = try fixture.open(create: false).verify()
    #expect(report.firstProblem?.position == 1)
    #expect(
      report.firstProblem?.message
        == "checkpoint of orders-1 differs from the state rebuilt from its events")
  }

  @Test func aHeadThatDisagreesWithTheEventsIsReported() throws {
    // Given a journal whose head was changed by something other than salvage
    let fixture = try JournalFixture()
    do {
      try fixture.record([EventFactory.opened] + JournalFixture.notes(2), to: try fixture.open())
    }
    try fixture.raw().write { db in
      try db.execute(sql: "UPDATE heads SET phase = 'cleaned', is_open = 0")
    }
    // When it is verified, then the head is named with what the events say
    let report = try fixture.open(create: false).verify()
    #expect(report.firstProblem?.position == 3)
    #expect(
      report.firstProblem?.message
        == "head of orders-1 says phase cleaned, closed; its events say phase opened, open")
  }

  @Test func anIncidentWhoseFirstEventIsNotAnOpeningIsStillListed() throws {
    // Given an incident whose first event is a note (an anomaly, kept)
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record(JournalFixture.notes(1), to: journal)
    // Then it is listed, not opened, and the journal verifies
    #expect(
      try journal.incidents() == [
        IncidentSummary(incident: fixture.incident, phase: nil, version: 1, isOpen: false)
      ])
    #expect(try journal.verify().isIntact)
  }

  @Test func aJournalWrittenBeforeHeadsExistedGetsThemFromItsCheckpoints() throws {
    // Given a journal at schema 2, written as salvage wrote it then (a checkpoint per append)
    let fixture = try JournalFixture()
    do {
      try fixture.record([EventFactory.opened] + JournalFixture.notes(2), to: try fixture.open())
    }
    try fixture.raw().write { db in
      try db.execute(sql: "DROP TABLE heads")
      try db.execute(sql: "DROP TABLE execution_blocks")
      try db.execute(sql: "DROP INDEX execution_sets_by_chunk")
      try db.execute(sql: "ALTER TABLE execution_sets DROP COLUMN first_event")
      try db.execute(sql: "UPDATE checkpoints SET version = 3, position = 3, format = 1")
      try db.execute(sql: "PRAGMA user_version = 2")
    }
    // When salvage opens it, then the migration fills the heads and the old snapshot is replaced on use
    let journal = try fixture.open(create: false)
    #expect(try journal.schemaVersion() == Schema.currentVersion)
    #expect(try journal.incidents().map(\.version) == [3])
    #expect(try journal.state(of: fixture.incident)?.noteCount == 2)
    try fixture.record(JournalFixture.notes(1), to: journal)
    #expect(try journal.verify().isIntact)
  }

  @Test func everyCommitIsSyncedToDiskWhetherTheJournalIsNewOrReopened() throws {
    // Given a journal created, written and opened again
    let fixture = try JournalFixture(onDisk: true)
    let created = try fixture.open()
    try fixture.record([EventFactory.opened], to: created)
    let reopened = try fixture.open(create: false)
    // Then both connections run WAL with synchronous=FULL (2), not the NORMAL a WAL default brings
    for journal in [created, reopened] {
      let durability = try journal.durability()
      #expect(durability.journalMode == "wal")
      #expect(durability.synchronous == 2)
    }
  }

  @Test func theJournalFileIsCreatedReadableOnlyByItsOwner() throws {
    let fixture = try JournalFixture(onDisk: true)
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    for path in [fixture.path, fixture.path + "-wal"] {
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
      #expect(mode == 0o600, "\(path) has mode \(String(mode ?? 0, radix: 8))")
    }
  }

  @Test func aJournalWithANewerSchemaIsRefusedAndLeftUntouched() throws {
    // Given a journal that a newer salvage migrated to schema 99
    let fixture = try JournalFixture(onDisk: true)
    do { try fixture.record([EventFactory.opened], to: try fixture.open()) }
    try fixture.raw().writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA user_version = 99")
    }
    // When this salvage opens it
    #expect(
      throws: JournalError.schemaTooNew(path: fixture.path, found: 99, known: Schema.currentVersion)
    ) {
      _ = try fixture.open(create: false)
    }
    // Then the file still says 99 and still holds its event
    let (version, count) = try fixture.raw().read { db in
      (
        try Int.fetchOne(db, sql: "PRAGMA user_version"),
        try Int.fetchOne(db, sql: "SELECT count(*) FROM events")
      )
    }
    #expect(version == 99)
    #expect(count == 1)
  }

  @Test func aFileThatIsNotSQLiteIsRefusedAndLeftUntouched() throws {
    let fixture = try JournalFixture(onDisk: true)
    let text = Data("this is a postmortem draft, not a database\n".utf8)
    try text.write(to: URL(fileURLWithPath: fixture.path))
    #expect(throws: JournalError.notSQLite(path: fixture.path)) {
      _ = try fixture.open(create: true)
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path)) == text)
  }

  @Test func anotherApplicationsDatabaseIsRefused() throws {
    let fixture = try JournalFixture(onDisk: true)
    try fixture.raw().write { db in try db.execute(sql: "CREATE TABLE customers (id INTEGER)") }
    // (private, so that what is refused is its content, not its mode)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fixture.path)
    #expect(throws: JournalError.notAJournal(path: fixture.path)) {
      _ = try fixture.open(create: true)
    }
  }

  @Test func aMissingJournalIsNotCreatedByReaders() throws {
    let fixture = try JournalFixture(onDisk: true)
    #expect(throws: JournalError.missing(path: fixture.path)) {
      _ = try fixture.open(create: false)
    }
    #expect(!FileManager.default.fileExists(atPath: fixture.path))
  }
}
