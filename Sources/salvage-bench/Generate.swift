import Foundation
import SalvageCore
import SalvageJournal

/// A journal shaped like a long incident's: for each incident an opening, a lease, then a
/// repeating mix of notes, lease renewals, batch progress and drainage observations.
enum Generate {
  static func run(path: String, events: Int, incidents: Int, batch: Int) throws {
    let clock = BenchClock()
    let journal = try SQLiteEventJournal(path: path, create: true, now: clock.now)
    var generator = FastRandom()
    var versions = [Int](repeating: 0, count: incidents)
    var written = 0
    var round = 0
    while written < events {
      for number in 0..<incidents where written < events {
        let incident = try IncidentID.parse("bench-\(number + 1)")
        let count = min(batch, events - written)
        let pending = (0..<count).map { offset in
          PendingEvent(
            id: EventID.make(at: clock.now(), using: &generator),
            event: event(version: versions[number] + offset + 1, round: round))
        }
        _ = try journal.append(
          pending, to: incident, expectedVersion: versions[number], actor: "bench")
        versions[number] += count
        written += count
      }
      round += 1
    }
  }

  static func event(version: Int, round: Int) -> IncidentEvent {
    switch version {
    case 1:
      return .opened(
        IncidentOpened(
          deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default",
          title: "bench", operatorName: "bench"))
    case 2:
      return .leaseAcquired(
        LeaseAcquired(
          holder: "bench", host: "bench-host",
          expiresAt: UTCTime(millisecondsSinceEpoch: 1_800_000_000_000)))
    default:
      switch version % 4 {
      case 0:
        return .noteAdded(
          NoteAdded(text: "checked the dashboards again, round \(round), event \(version)"))
      case 1:
        return .leaseRenewed(
          LeaseRenewed(
            holder: "bench",
            expiresAt: UTCTime(millisecondsSinceEpoch: 1_800_000_000_000 + Int64(version))))
      case 2:
        return .batchProgressed(
          BatchProgressed(
            action: "recover-OrderWorkflow-\(version % 7)", batchJob: "job-\(version % 7)",
            finished: false,
            total: 2_000, complete: version % 2_000, failure: 0))
      default:
        return .drainageObserved(
          DrainageObserved(
            drainage: .draining,
            checkedAt: UTCTime(millisecondsSinceEpoch: 1_800_000_000_000 + Int64(version)),
            runningPinned: version % 100))
      }
    }
  }
}

/// Wall-clock UTC time for the events.
struct BenchClock: Sendable {
  @Sendable func now() -> UTCTime {
    UTCTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
  }
}

/// SplitMix64 seeded once from the system: event ids need uniqueness, not secrecy, and one
/// `getrandom` call per id would measure the kernel instead of the journal.
struct FastRandom: RandomNumberGenerator {
  private var state: UInt64

  init() {
    var system = SystemRandomNumberGenerator()
    state = system.next()
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}
