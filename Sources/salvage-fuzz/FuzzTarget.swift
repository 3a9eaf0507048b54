import Foundation
import SalvageCore

@testable import SalvageJournal
@testable import SalvageTemporal

/// One reader of untrusted bytes, and what it must do with any input: return, or throw its own
/// typed error. A trap ends the process (and the run); a foreign error is reported as a failure.
struct FuzzTarget: Sendable {
  let name: String
  let seeds: [[UInt8]]
  let check: @Sendable ([UInt8]) -> String?

  static func all(exportSeed: String) -> [FuzzTarget] {
    [
      importReader(exportSeed), payloadDecoder(exportSeed), searchAttributes, decisionPolicy,
      executionBlock,
    ]
  }

  /// `salvage import`'s reader: parses and verifies a whole export (typed `ImportError`).
  static func importReader(_ seed: String) -> FuzzTarget {
    let lines = seed.split(separator: "\n").map(String.init)
    return FuzzTarget(
      name: "import",
      seeds: [Array(seed.utf8), Array((lines.prefix(3).joined(separator: "\n")).utf8)]
    ) { bytes in
      do {
        _ = try IncidentExport.read(String(decoding: bytes, as: UTF8.self))
      } catch {
        // `read` throws only ImportError (typed throws); its message must be one line.
        if String(describing: error).contains("\n") { return "a multi-line ImportError: \(error)" }
      }
      return nil
    }
  }

  /// The journal's payload decoder, as import and replay call it: a type name and payload bytes
  /// (input: the type, a newline, the payload). Typed `EventDecodingError`.
  static func payloadDecoder(_ seed: String) -> FuzzTarget {
    let seeds =
      (try? IncidentExport.read(seed).events.map {
        Array(($0.type + "\n").utf8) + Array($0.payload)
      }) ?? []
    return FuzzTarget(name: "payload", seeds: seeds) { bytes in
      PayloadInput(bytes).check(codec: FastJSONCodec())
    }
  }

  /// Search attribute values a server sends (json/plain payloads): the fast reader must agree with
  /// `JSONSerialization` whenever it answers.
  static let searchAttributes = FuzzTarget(
    name: "search-attributes",
    seeds: [
      #""v2""#, #"["a","b"]"#, "[]", "true", "false", "null", "1.5", "-3", #"{"a":[1,"x"]}"#,
      #""""#,
    ]
    .map { Array($0.utf8) }
  ) { bytes in
    let data = Data(bytes)
    var payload = Temporal_Api_Common_V1_Payload()
    payload.data = data
    payload.metadata["encoding"] = Data("json/plain".utf8)
    _ = PayloadValues.decode(payload)
    guard let fast = PayloadValues.simple(data) else { return nil }
    guard (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) != nil else {
      return
        "the fast reader read \(fast) from bytes JSON refuses: \(Quoted(String(decoding: bytes, as: UTF8.self)))"
    }
    return nil
  }

  /// A stored block of an execution set (the journal's `execution_blocks.runs`): typed
  /// `ExecutionBlock.Malformed`, and runs it reads back are the runs written again.
  static let executionBlock = FuzzTarget(
    name: "execution-block",
    seeds: [
      ExecutionBlock.encode([
        ExecutionRecord(
          workflowID: "wf\t1", runID: "r1", workflowType: "Ledger \"main\"", status: .failed,
          hasReportedProblems: true, firstEvent: "ab12"),
        ExecutionRecord(
          workflowID: "台帳", runID: "r2", workflowType: "", status: .running,
          hasReportedProblems: false),
      ]),
      ExecutionBlock.encode([
        ExecutionRecord(
          workflowID: String(repeating: "w", count: 200), runID: "r", workflowType: "T",
          status: .timedOut, hasReportedProblems: false)
      ]),
    ]
  ) { bytes in
    // Typed throws: a refusal can only be ExecutionBlock.Malformed.
    guard let runs = try? ExecutionBlock.records(in: bytes, chunk: 3) else { return nil }
    let again = try? ExecutionBlock.records(in: ExecutionBlock.encode(runs), chunk: 3)
    return again == runs
      ? nil : "\(runs.count) runs read from a block do not read back the same when written"
  }

  /// `salvage decide --policy` and `run --policy`: typed `InputError`.
  static let decisionPolicy = FuzzTarget(
    name: "policy",
    seeds: [
      #"{"workflowTypes": {"OrderWorkflow": {"restartable": true, "rationale": "idempotent"}}}"#,
      #"{"workflowTypes": {"PaymentWorkflow": {"restartable": false, "corrupted": true, "targetBuild": "v3"}}}"#,
      #"{"workflowTypes": {}}"#,
    ].map { Array($0.utf8) }
  ) { bytes in
    do {
      _ = try DecisionPolicy.checked(Data(bytes), name: "policy.json")
    } catch {
      // InputError only (typed throws); its message must be one line.
      if String(describing: error).contains("\n") { return "a multi-line InputError: \(error)" }
    }
    return nil
  }
}
