import Foundation
import SalvageFakes
import Testing

@Suite(.tags(.integration)) struct ConcurrentNotesTests {
  /// Four operators' shells append 250 notes each to one journal at the same time.
  @Test func fourConcurrentWritersAppendExactlyOneThousandNotes() async throws {
    // Given one open incident
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    // When 4 tasks each run `salvage note` 250 times
    let writers = 4
    let notesEach = 250
    let failures = FailureLog()
    await withTaskGroup(of: Void.self) { group in
      for writer in 0..<writers {
        group.addTask {
          for index in 0..<notesEach {
            do {
              let result = try await fixture.salvage(
                "note", "writer \(writer) note \(index)",
                environment: ["SALVAGE_OPERATOR": "writer-\(writer)"])
              if result.status != 0 { failures.add("w\(writer)#\(index): \(result.stderr)") }
            } catch {
              failures.add("w\(writer)#\(index): \(error)")
            }
          }
        }
      }
    }
    #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
    // Then the incident holds exactly 1,000 notes, 250 from each writer, every one once
    let lines = try await fixture.salvage("log", "--output", "jsonl").stdout.split(separator: "\n")
    let events = try lines.map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    let notes = events.filter { $0["type"] as? String == "NoteAdded" }
    #expect(notes.count == writers * notesEach)
    let texts = Set(notes.compactMap { ($0["payload"] as? [String: Any])?["text"] as? String })
    #expect(texts.count == writers * notesEach)
    for writer in 0..<writers {
      #expect(notes.filter { $0["actor"] as? String == "writer-\(writer)" }.count == notesEach)
    }
    // And positions are gapless, versions contiguous, and verify passes
    #expect(events.compactMap { $0["position"] as? Int } == Array(1...(writers * notesEach + 1)))
    #expect(events.compactMap { $0["version"] as? Int } == Array(1...(writers * notesEach + 1)))
    let verify = try await fixture.salvage("verify")
    #expect(verify.status == 0, "\(verify.stderr)")
  }
}

private final class FailureLog: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [String] = []
  func add(_ entry: String) { lock.withLock { entries.append(entry) } }
  var all: [String] { lock.withLock { entries } }
}
