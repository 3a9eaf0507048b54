import Foundation
import GRDB
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

@Suite struct ExecutionSetTests {
  func identification(
    _ journal: SQLiteEventJournal, _ records: [ExecutionRecord], digest: String? = nil
  )
    -> (PendingEvent, ExecutionSet)
  {
    var factory = EventFactory(seed: 77)
    let set = digest ?? journal.digest(of: records)
    let event = factory.pending(
      .affectedIdentified(
        AffectedExecutionsIdentified(
          groups: [], unpinnedWithProblems: 0, executionCount: records.count, digest: set)))
    return (
      event, ExecutionSet(eventID: event.id, records: records, digest: journal.digest(of: records))
    )
  }

  let records = (0..<500).map {
    ExecutionRecord(
      workflowID: "wf-\($0)", runID: "run-\(String(format: "%04d", $0))",
      workflowType: $0 % 2 == 0 ? "A" : "B\t'x",
      status: $0 % 3 == 0 ? .failed : .running, hasReportedProblems: $0 % 5 == 0)
  }

  @Test func aSetChangedAfterItWasDigestedIsDigestedAfreshAndStillRefusedUnderTheOldDigest()
    throws
  {
    // Given a journal that has just digested a set (and remembers it until its append)
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let digested = journal.digest(of: records)
    // When the caller changes a copy of the set, keeping its size
    var changed = records
    changed[7] = ExecutionRecord(
      workflowID: "wf-7", runID: "run-0007", workflowType: "A", status: .completed,
      hasReportedProblems: false)
    // Then the copy's digest is its own, not the one remembered
    let fresh = try JournalFixture().open().digest(of: changed)
    #expect(journal.digest(of: changed) == fresh)
    #expect(fresh != digested)
    // And an append naming the old digest beside the changed set is refused
    let (event, _) = identification(journal, records, digest: digested)
    #expect(throws: AppendError.digestMismatch(event.id)) {
      _ = try journal.append(
        [event], to: fixture.incident, expectedVersion: 1, actor: "alice",
        executions: ExecutionSet(eventID: event.id, records: changed, digest: digested))
    }
  }

  @Test func anIdentificationsExecutionsAreStoredWithItsEventAndReadBack() throws {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let (event, set) = identification(journal, records)
    _ = try journal.append(
      [event], to: fixture.incident, expectedVersion: 1, actor: "alice", executions: set)
    #expect(try journal.executions(namedBy: event.id) == records.sorted { $0.runID < $1.runID })
    #expect(try journal.verify().isIntact)
  }

  @Test func aFrozenSetIsReadOneChunkAtATimeInRunIDOrder() throws {
    // Given a set of 500 runs stored in chunks of 200, in no particular order
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let chunked = records.enumerated().map { index, run in
      ExecutionRecord(
        workflowID: run.workflowID, runID: run.runID, workflowType: run.workflowType,
        status: run.status, hasReportedProblems: run.hasReportedProblems, chunk: index / 200)
    }.reversed()
    let (event, set) = identification(journal, Array(chunked))
    _ = try journal.append(
      [event], to: fixture.incident, expectedVersion: 1, actor: "alice", executions: set)
    // When each chunk is read
    let chunks = try (0...3).map { try journal.executions(namedBy: event.id, chunk: $0) }
    // Then each holds its own runs only, by run id, and the last one is empty
    #expect(chunks.map(\.count) == [200, 200, 100, 0])
    #expect(chunks[1].map(\.runID) == (200..<400).map { "run-\(String(format: "%04d", $0))" })
    #expect(chunks[2].allSatisfy { $0.chunk == 2 })
  }

  @Test func aChunksReadSearchesOnlyItsSetsBlocksInOrder() throws {
    // Given a journal (at a million frozen runs, reading the whole set took 2.3 s a chunk)
    let fixture = try JournalFixture()
    _ = try fixture.open()
    // When SQLite plans the read of one chunk of a set
    let plan = try fixture.raw().read { db in
      try Row.fetchAll(
        db,
        sql: """
          EXPLAIN QUERY PLAN SELECT chunk, runs FROM execution_blocks
          WHERE event_id = ? AND chunk = ? ORDER BY block
          """, arguments: ["e", 1]
      ).map { $0["detail"] as String }.joined(separator: "\n")
    }
    // Then it searches the set's blocks by its primary key, in block order, and sorts nothing: a
    // block of another chunk is passed over by its chunk column, its runs never read
    #expect(plan == "SEARCH execution_blocks USING PRIMARY KEY (event_id=?)", "\(plan)")
  }

  @Test func aSetIsStoredAThousandRunsToARowAndReadBackWhole() throws {
    // Given an identification of 2,500 runs, listed in no particular order
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let many = (0..<2_500).reversed().map {
      ExecutionRecord(
        workflowID: "wf-\($0)", runID: "run-\(String(format: "%05d", $0))", workflowType: "A",
        status: .running, hasReportedProblems: $0 % 2 == 0)
    }
    let (event, set) = identification(journal, many)
    // When it is appended
    _ = try journal.append(
      [event], to: fixture.incident, expectedVersion: 1, actor: "alice", executions: set)
    // Then it takes three rows, none in the run-to-a-row table, and reads back by run id
    let rows = try fixture.raw().read { db in
      try [
        Int.fetchOne(db, sql: "SELECT count(*) FROM execution_blocks") ?? -1,
        Int.fetchOne(db, sql: "SELECT count(*) FROM execution_sets") ?? -1,
      ]
    }
    #expect(rows == [3, 0])
    #expect(try journal.executions(namedBy: event.id) == many.sorted { $0.runID < $1.runID })
    #expect(try journal.verify().isIntact)
  }

  @Test func aSetAnOlderSalvageStoredARunToARowIsStillReadAndVerified() throws {
    // Given a journal at schema 5 whose frozen set's runs (in chunks of 200) are rows of
    // execution_sets
    let fixture = try JournalFixture()
    let chunked = records.enumerated().map { index, run in
      run.frozen(chunk: index / 200, firstEvent: index % 7 == 0 ? "digest-\(index)" : nil)
    }
    let (event, set): (PendingEvent, ExecutionSet)
    do {
      let journal = try fixture.open()
      try fixture.record([EventFactory.opened], to: journal)
      (event, set) = identification(journal, chunked)
      _ = try journal.append(
        [event], to: fixture.incident, expectedVersion: 1, actor: "alice", executions: set)
    }
    try fixture.raw().write { db in
      for run in set.records {
        try db.execute(
          sql: """
            INSERT INTO execution_sets (event_id, workflow_id, run_id, workflow_type, status,
              problems, chunk, first_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            event.id.rawValue, run.workflowID, run.runID, run.workflowType, run.status.rawValue,
            run.hasReportedProblems ? 1 : 0, run.chunk, run.firstEvent,
          ])
      }
      try db.execute(sql: "DROP TABLE execution_blocks")
      try db.execute(sql: "PRAGMA user_version = 5")
    }
    // When this salvage opens it (and adds the blocks table)
    let journal = try fixture.open(create: false)
    // Then the set is read from its rows, and the journal verifies
    #expect(try journal.schemaVersion() == Schema.currentVersion)
    #expect(try journal.executions(namedBy: event.id) == chunked.sorted { $0.runID < $1.runID })
    let chunks = try (0...2).map { try journal.executions(namedBy: event.id, chunk: $0) }
    #expect(chunks.map(\.count) == [200, 200, 100])
    #expect(chunks[1] == Array(chunked[200..<400]))
    #expect(try journal.verify().isIntact)
  }

  @Test func aSetHoldingARunTwiceIsRefusedAndNothingIsWritten() throws {
    // Given an identification whose listing returned one run twice
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let twice = records + [records[42]]
    let (event, set) = identification(journal, twice)
    // When it is appended, then it is refused with a constraint error naming the run
    #expect {
      _ = try journal.append(
        [event], to: fixture.incident, expectedVersion: 1, actor: "alice", executions: set)
    } throws: { error in
      guard case .sqlite(19, let message) = error as? JournalError else { return false }
      return message.contains("run-0042")
    }
    // And neither the event nor any run was written
    #expect(try journal.events(of: fixture.incident).count == 1)
    #expect(try journal.executions(namedBy: event.id).isEmpty)
  }

  @Test func aDamagedBlockIsAnErrorNamingTheEventNotRunsMadeUp() throws {
    // Given a stored set whose block was damaged on disk (its status overwritten)
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let (event, set) = identification(journal, Array(records.prefix(3)))
    _ = try journal.append(
      [event], to: fixture.incident, expectedVersion: 1, actor: "alice", executions: set)
    try fixture.raw().write { db in
      var damaged = try Data.fetchOne(db, sql: "SELECT runs FROM execution_blocks") ?? Data()
      let status = try #require(damaged.range(of: Data("Running".utf8)))
      damaged[status.upperBound - 1] = UInt8(ascii: "_")
      try db.execute(sql: "DROP TRIGGER execution_blocks_refuse_update")
      try db.execute(sql: "UPDATE execution_blocks SET runs = ?", arguments: [damaged])
    }
    // When it is read, then the error names the event and the bad status
    #expect(
      throws: JournalError.unreadableExecutionSet(
        eventID: event.id.rawValue, reason: "unknown status 'Runnin_' of run 'run-0001'")
    ) {
      _ = try journal.executions(namedBy: event.id)
    }
    // And the journal's check reports it
    #expect(!(try journal.verify().isIntact))
  }

  @Test func aSetWhoseDigestDiffersFromItsEventIsRefusedAndNothingIsWritten() throws {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let (event, set) = identification(journal, records, digest: "not-the-digest")
    #expect(throws: AppendError.digestMismatch(event.id)) {
      _ = try journal.append(
        [event], to: fixture.incident, expectedVersion: 1, actor: "alice", executions: set)
    }
    #expect(try journal.events(of: fixture.incident).count == 1)
    #expect(try journal.executions(namedBy: event.id).isEmpty)
  }

  @Test func aConflictingAppendWritesNoExecutions() throws {
    let fixture = try JournalFixture()
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    let (event, set) = identification(journal, records)
    #expect(throws: AppendError.self) {
      _ = try journal.append(
        [event], to: fixture.incident, expectedVersion: 0, actor: "alice", executions: set)
    }
    #expect(try journal.executions(namedBy: event.id).isEmpty)
  }

  @Test func aSetsDigestIsTheSameWhateverSizeItsTextIsHashedIn() throws {
    // Given 3,000 runs (a canonical text of 116,453 bytes, hashed in 64 KiB pieces), with tabs,
    // line breaks and multi-byte names in their values, some in chunks with first events
    let runs = (0..<3_000).map { number in
      ExecutionRecord(
        workflowID: "wf\t\(number)", runID: String(format: "run-%05d", number),
        workflowType: number % 3 == 0 ? "Ledger\n\"main\"" : "台帳",
        status: number % 2 == 0 ? .failed : .running, hasReportedProblems: number % 5 == 0,
        chunk: number % 4 == 0 ? number / 500 : nil,
        firstEvent: number % 6 == 0 ? "e\r\(number)" : nil)
    }
    // When the journal digests them, then the digest is SHA-256 of the whole canonical text: the
    // value pinned here was computed from the text's definition (one line per run, tab-separated)
    let journal = try JournalFixture().open()
    #expect(ExecutionRecord.canonicalBytes(runs).count == 116_453)
    #expect(
      journal.digest(of: runs)
        == "c4ed89ea70eac7eb15a43c8a8799ec63b39b262843a2f51421765474062e4b15")
  }

  @Test func verifyFindsAnExecutionSetThatWasTamperedWith() throws {
    let fixture = try JournalFixture()
    var eventID: EventID?
    do {
      let journal = try fixture.open()
      try fixture.record([EventFactory.opened], to: journal)
      let (event, set) = identification(journal, records)
      eventID = event.id
      _ = try journal.append(
        [event], to: fixture.incident, expectedVersion: 1, actor: "alice", executions: set)
    }
    // Triggers refuse UPDATE and DELETE, so tampering means dropping them first, as an attacker would
    // (here: run-0042 cut out of its block, which stays well-formed)
    try fixture.raw().write { db in
      var block = try Data.fetchOne(db, sql: "SELECT runs FROM execution_blocks") ?? Data()
      let fields: [[UInt8]] = [
        [8], Array("run-0042".utf8), [5], Array("wf-42".utf8), [1, 0x41, 6],
      ]
      let run = Data(fields.joined() + Array("Failed".utf8) + [0])
      let found = try #require(block.range(of: run))
      block.removeSubrange(found)
      try db.execute(sql: "DROP TRIGGER execution_blocks_refuse_update")
      try db.execute(sql: "UPDATE execution_blocks SET runs = ?", arguments: [block])
    }
    #expect(try fixture.open(create: false).executions(namedBy: try #require(eventID)).count == 499)
    let report = try fixture.open(create: false).verify()
    #expect(report.firstProblem?.position == 2)
    #expect(report.firstProblem?.message.contains("do not match its digest") == true)
    #expect(eventID != nil)
  }
}
