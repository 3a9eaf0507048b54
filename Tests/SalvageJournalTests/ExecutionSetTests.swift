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

  @Test func aChunksReadFindsItsRunsByIndexNotByReadingTheWholeSet() throws {
    // Given a journal (at a million frozen runs, reading the whole set took 2.3 s a chunk)
    let fixture = try JournalFixture()
    _ = try fixture.open()
    // When SQLite plans the read of one chunk of a set
    let plan = try fixture.raw().read { db in
      try Row.fetchAll(
        db,
        sql: """
          EXPLAIN QUERY PLAN SELECT workflow_id, run_id, workflow_type, status, problems, chunk,
          first_event FROM execution_sets WHERE event_id = ? AND chunk = ? ORDER BY run_id
          """, arguments: ["e", 1]
      ).map { $0["detail"] as String }.joined(separator: "\n")
    }
    // Then it searches the chunk index on the set and the chunk, and sorts nothing
    #expect(
      plan.contains("USING INDEX execution_sets_by_chunk (event_id=? AND chunk=?)"), "\(plan)")
    #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
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
    try fixture.raw().write { db in
      try db.execute(sql: "DROP TRIGGER execution_sets_refuse_delete")
      try db.execute(sql: "DELETE FROM execution_sets WHERE run_id = 'run-0042'")
    }
    let report = try fixture.open(create: false).verify()
    #expect(report.firstProblem?.position == 2)
    #expect(report.firstProblem?.message.contains("do not match its digest") == true)
    #expect(eventID != nil)
  }
}
