import Foundation
import SalvageCore
import SalvageJournal

/// A deterministic fuzzer for salvage's readers of untrusted bytes, run by `tools/fuzz`.
///
/// `salvage-fuzz [--inputs N] [--seed S] [--target NAME]`: N generated inputs (default 1,000,000)
/// over the targets: the import reader (5 %, it is the slow one), the payload decoder, the search
/// attribute reader and the policy reader. Each input is a seed mutated (or, for the import reader, one
/// event's payload rewritten and the chain re-hashed, so the input gets past the hash checks), or
/// random bytes. Prints the count and the time per target; exits 1 on the first failure, naming
/// the seed that reproduces it.
#if !LIBFUZZER
  @main
  struct Entrypoint {
    static func main() {
      let arguments = CommandLine.arguments
      func value(_ name: String) -> String? {
        arguments.firstIndex(of: name).flatMap {
          $0 + 1 < arguments.count ? arguments[$0 + 1] : nil
        }
      }
      let inputs = value("--inputs").flatMap(Int.init) ?? 1_000_000
      let seed = value("--seed").flatMap(UInt64.init) ?? 20_261_201
      let exportFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Tests/SalvageCLITests/Fixtures/incident-demo.jsonl")
      guard let export = try? String(contentsOf: exportFile, encoding: .utf8) else {
        FileHandle.standardError.write(
          Data("salvage-fuzz: cannot read the seed export \(exportFile.path)\n".utf8))
        exit(1)
      }
      let targets = FuzzTarget.all(exportSeed: export).filter { target in
        value("--target").map { $0 == target.name } ?? true
      }
      let rechain = ReChainer(export)
      let start = ContinuousClock.now
      var total = 0
      for (number, target) in targets.enumerated() {
        // The import reader verifies a 31-event file (about 2 ms in debug): it gets a twentieth of
        // the inputs when every target runs, the fast readers share the rest.
        let share =
          targets.count == 1
          ? 1.0 : (target.name == "import" ? 0.05 : 0.95 / Double(targets.count - 1))
        let count = number == targets.count - 1 ? inputs - total : Int(Double(inputs) * share)
        let began = ContinuousClock.now
        var mutator = Mutator(seed: seed &+ UInt64(number))
        for index in 0..<count {
          let input: [UInt8]
          if target.name == "import", index % 4 == 0,
            let structured = rechain.mutated(using: &mutator)
          {
            input = structured
          } else {
            input = mutator.mutate(target.seeds[mutator.int(0..<target.seeds.count)])
          }
          if let failure = target.check(input) {
            print("FAIL \(target.name) input \(index) (seed \(seed &+ UInt64(number))): \(failure)")
            exit(1)
          }
        }
        total += count
        print(
          "\(target.name): \(count) inputs, no crash, every rejection typed (\(began.duration(to: .now)))"
        )
      }
      print("salvage-fuzz: \(total) inputs in \(start.duration(to: .now)), seed \(seed)")
    }
  }
#endif

/// Rewrites one event of a valid export and re-hashes the chain, so the mutated payload reaches
/// the payload decoder behind the import reader's hash checks.
struct ReChainer {
  let export: IncidentExport?

  init(_ text: String) { export = try? IncidentExport.read(text) }

  func mutated(using mutator: inout Mutator) -> [UInt8]? {
    guard let export, !export.events.isEmpty else { return nil }
    let victim = mutator.int(0..<export.events.count)
    var previous = EventHash.genesis
    let events = export.events.enumerated().map { index, event in
      let payload = index == victim ? Data(mutator.mutate(Array(event.payload))) : event.payload
      let row = StoredEvent(
        position: event.position, eventID: event.eventID, incident: event.incident,
        version: event.version,
        type: event.type, schemaVersion: event.schemaVersion, payload: payload,
        recordedAt: event.recordedAt,
        actor: event.actor, hash: Data())
      let hashed = row.with(hash: EventHash.chain(previous: previous, row))
      previous = hashed.hash
      return hashed
    }
    let text = try? IncidentExport(
      incident: export.incident, events: events, executionSets: export.executionSets
    )
    .jsonLines()
    return text.map { Array($0.utf8) }
  }
}
