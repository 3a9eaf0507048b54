import Foundation
import SalvageCore
import SalvageJournal
import SalvageTemporal

/// The identify step's own path from `temporal workflow list -o jsonl` to the journal: the real
/// adapter runs `temporal` (here a script that prints a prepared file), decodes every line with
/// its search attributes, and the records, their groups and digest are journaled as one
/// identification with its execution set.
enum Ingest {
  static func run(list: String, temporal: String, journal path: String) throws -> Int {
    setenv("SALVAGE_BENCH_LIST", list, 1)
    let client = ProcessTemporalClient(connection: TemporalConnection(executable: temporal))
    var records: [ExecutionRecord] = []
    try client.list(.equals(.workerDeploymentVersion, "orders:bad")) { records.append(ExecutionRecord($0)) }
    let clock = BenchClock()
    let journal = try SQLiteEventJournal(path: path, create: true, now: clock.now)
    var generator = FastRandom()
    let incident = IncidentID(rawValue: "bench-1")!
    let opened = PendingEvent(id: EventID.make(at: clock.now(), using: &generator), event: Generate.event(version: 1, round: 0))
    let identified = AffectedExecutionsIdentified(
      groups: AffectedGroup.groups(of: records), unpinnedWithProblems: 0, executionCount: records.count,
      digest: journal.digest(of: records))
    let event = PendingEvent(id: EventID.make(at: clock.now(), using: &generator), event: .affectedIdentified(identified))
    _ = try journal.append(
      [opened, event], to: incident, expectedVersion: 0, actor: "bench",
      executions: ExecutionSet(eventID: event.id, records: records, digest: identified.digest))
    return records.count
  }
}
