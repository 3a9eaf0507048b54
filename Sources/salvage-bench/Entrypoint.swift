import Foundation
import SalvageCore
import SalvageJournal

/// The bench driver, run by tools/bench (which runs each baseline on the same data in the same run):
///
/// - `append --journal PATH --events N --batch B`: appends N NoteAdded events to a new journal,
///   B per transaction, and prints the seconds it took.
/// - `generate --journal PATH --events N [--incidents K]`: writes a journal of N events.
/// - `rebuild --journal PATH`: folds every event from the first and prints the seconds it took.
/// - `ingest --journal PATH --pages FILE`: identifies the executions of FILE's serialized
///   `ListWorkflowExecutions` pages into a new journal; prints the seconds it took (and on stderr
///   how long the listing and the journaling each took).
@main
struct Entrypoint {
  static func main() throws {
    let arguments = CommandLine.arguments
    func value(_ name: String) -> String? {
      arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    }
    func usage() -> Never {
      FileHandle.standardError.write(
        Data(
          """
          usage: salvage-bench append --journal PATH --events N --batch B
                 salvage-bench generate --journal PATH --events N [--incidents K]
                 salvage-bench rebuild --journal PATH
                 salvage-bench ingest --journal PATH --pages FILE

          """.utf8))
      exit(64)
    }
    guard arguments.count > 1, let path = value("--journal") else { usage() }
    switch arguments[1] {
    case "append":
      guard let events = value("--events").flatMap(Int.init),
        let batch = value("--batch").flatMap(Int.init)
      else {
        usage()
      }
      let timed = try append(path: path, events: events, batch: batch)
      try report(seconds(timed))
    case "generate":
      guard let events = value("--events").flatMap(Int.init) else { usage() }
      try Generate.run(
        path: path, events: events, incidents: value("--incidents").flatMap(Int.init) ?? 1,
        batch: 10_000)
    case "rebuild":
      let journal = try SQLiteEventJournal(path: path, create: false, now: BenchClock().now)
      var folded = 0
      try report(seconds { folded = try journal.rebuild().values.map(\.version).reduce(0, +) })
      FileHandle.standardError.write(Data("folded \(folded) events\n".utf8))
    case "ingest":
      guard let pages = value("--pages") else { usage() }
      var count = 0
      try report(seconds { count = try Ingest.run(pages: pages, journal: path) })
      FileHandle.standardError.write(Data("identified \(count) executions\n".utf8))
    default:
      usage()
    }
  }

  static func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  }

  static func report(_ seconds: Double) {
    print(String(format: "%.6f", seconds))
  }

  /// The timed part of `append`: after the journal exists and the incident is opened.
  static func append(path: String, events: Int, batch: Int) throws -> () throws -> Void {
    let clock = BenchClock()
    let journal = try SQLiteEventJournal(path: path, create: true, now: clock.now)
    let incident = try IncidentID.parse("bench-1")
    var generator = FastRandom()
    _ = try journal.append(
      [
        PendingEvent(
          id: EventID.make(at: clock.now(), using: &generator),
          event: Generate.event(version: 1, round: 0))
      ],
      to: incident, expectedVersion: 0, actor: "bench")
    return {
      var version = 1
      var written = 0
      while written < events {
        let count = min(batch, events - written)
        let pending = (0..<count).map { index in
          PendingEvent(
            id: EventID.make(at: clock.now(), using: &generator),
            event: .noteAdded(NoteAdded(text: "bench note \(written + index)")))
        }
        _ = try journal.append(pending, to: incident, expectedVersion: version, actor: "bench")
        version += count
        written += count
      }
    }
  }
}
