import Foundation
import SalvageCore
import SalvageJournal

/// `salvage-bench append --journal PATH --events N --batch B`: appends N NoteAdded events to a new
/// journal through `SQLiteEventJournal`, B per transaction, and prints the seconds it took.
/// Driven by tools/bench, which runs the C baseline on the same events in the same run.
@main
struct Entrypoint {
  static func main() throws {
    let arguments = CommandLine.arguments
    func value(_ name: String) -> String? {
      arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    }
    guard arguments.count > 1, arguments[1] == "append", let path = value("--journal"),
      let events = value("--events").flatMap(Int.init), let batch = value("--batch").flatMap(Int.init)
    else {
      FileHandle.standardError.write(Data("usage: salvage-bench append --journal PATH --events N --batch B\n".utf8))
      exit(64)
    }
    let clock = Clock()
    let journal = try SQLiteEventJournal(path: path, create: true, now: clock.now)
    let incident = IncidentID(rawValue: "bench-1")!
    var generator = SystemRandomNumberGenerator()
    let opened = IncidentEvent.opened(IncidentOpened(
      deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default", title: "bench", operatorName: "bench"))
    _ = try journal.append(
      [PendingEvent(id: EventID.make(at: clock.now(), using: &generator), event: opened)], to: incident,
      expectedVersion: 0, actor: "bench")
    var version = 1
    let start = DispatchTime.now().uptimeNanoseconds
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
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: "%.6f", seconds))
  }
}

/// Wall-clock UTC time for the events.
struct Clock: Sendable {
  @Sendable func now() -> UTCTime {
    UTCTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
  }
}
