import Foundation
import SalvageCore
import SalvageJSON
import SalvageJournal
import Testing

@Suite struct PayloadDecoderTests {
  @Test(arguments: [
    #"{"text":"quote \" backslash \\ slash \/ tab \t é \u00e9 \ud83d\ude80 line\nend"}"#,
    #"{"text":""}"#, #" { "text" : "spaced" } "#, #"{"other":1,"text":"x"}"#,
  ])
  func aPayloadReadsTheSameAsWithJSONDecoder(json: String) throws {
    // Given JSON that Foundation reads
    let expected = try JSONDecoder().decode(NoteAdded.self, from: Data(json.utf8))
    // When the fast reader reads it, then it reads the same value
    #expect(try PayloadDecoder.decode(NoteAdded.self, from: Data(json.utf8)) == expected)
  }

  @Test func nestedObjectsArraysOptionalsAndNumbersReadTheSame() throws {
    // Given payloads with nested arrays of objects, nulls, missing optionals, doubles and enums
    let events: [any (Codable & Equatable)] = [
      AffectedExecutionsIdentified(
        groups: [
          AffectedGroup(workflowType: "T", status: .timedOut, count: 2, withReportedProblems: 0),
          AffectedGroup(
            workflowType: "U", status: .running, count: -3, withReportedProblems: 9_000_000_000),
        ], unpinnedWithProblems: 1, executionCount: 2, digest: "d"),
      RolloutObserved(currentBuild: nil, rampingBuild: "v2", rampPercentage: 12.5),
      ActionStarted(
        action: "stop-1", step: .stop, subject: nil, safety: .runOnce,
        command: ["temporal", "a b", ""],
        identity: "salvage/i/stop-1"),
      ClosedTargetsFrozen(chunkSizes: [], alreadyReset: 0, digest: "d"),
      DrainageObserved(
        drainage: .drained, checkedAt: UTCTime(millisecondsSinceEpoch: 5), runningPinned: 0),
    ]
    for event in events {
      // When both readers read it, then they agree
      #expect(try Self.bothAgree(on: event), "\(event)")
    }
    let explicitNull = Data(#"{"currentBuild":null,"rampPercentage":0,"rampingBuild":"v2"}"#.utf8)
    #expect(
      try PayloadDecoder.decode(RolloutObserved.self, from: explicitNull)
        == RolloutObserved(currentBuild: nil, rampingBuild: "v2", rampPercentage: 0))
  }

  @Test(arguments: [
    #"{"text":"x"} trailing"#, #"{"text":"x""#, #"{"text":01}"#, "{\"text\":\"a\u{01}b\"}",
    #"{"text":"\ud83d"}"#, #"{"text":"\q"}"#, #"{"text":1.}"#, #"{"text":-}"#, #"{"text":tru}"#, "",
  ])
  func whatFoundationRefusesTheFastReaderRefusesToo(json: String) {
    // Given bytes that are not JSON (a syntax error, a bad escape or a lone surrogate)
    // When Foundation reads them, then it refuses them with a DecodingError (which one depends on
    // how far it reads: `{"text":01}` is a type mismatch to it)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(NoteAdded.self, from: Data(json.utf8))
    }
    // When the fast reader reads them, then it refuses them as malformed
    #expect(throws: PayloadDecoder.Refusal.malformed) {
      try PayloadDecoder.decode(NoteAdded.self, from: Data(json.utf8))
    }
  }

  @Test(arguments: [#"{"text":"café ✓ 日本 🚀"}"#, #"{"text":"ascii, then é"}"#])
  func anUnescapedStringBeyondASCIIReadsTheSameAsWithJSONDecoder(json: String) throws {
    // Given an unescaped string with bytes beyond ASCII (checked as UTF-8, not taken as ASCII)
    let expected = try JSONDecoder().decode(NoteAdded.self, from: Data(json.utf8))
    // When the fast reader reads it, then it reads the same text
    #expect(try PayloadDecoder.decode(NoteAdded.self, from: Data(json.utf8)) == expected)
  }

  @Test func invalidUTF8IsRefused() {
    // Given a string member whose byte is not UTF-8
    let bytes = Data([0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D])  // {"text":"\xFF"}
    // When the fast reader reads it, then it refuses it as invalid UTF-8
    #expect(throws: PayloadDecoder.Refusal.invalidUTF8) {
      try PayloadDecoder.decode(NoteAdded.self, from: bytes)
    }
  }

  @Test func aTypeMismatchOrMissingKeyIsRefusedAndTheJournalsErrorStillNamesIt() {
    // Given a number where the payload has a string, then the fast reader refuses the type
    #expect(throws: PayloadDecoder.Refusal.typeMismatch) {
      try PayloadDecoder.decode(NoteAdded.self, from: Data(#"{"text":5}"#.utf8))
    }
    // Given a payload without its member, then the fast reader refuses the missing key
    #expect(throws: PayloadDecoder.Refusal.missingKey) {
      try PayloadDecoder.decode(NoteAdded.self, from: Data(#"{}"#.utf8))
    }
    // When the journal's codec reads it, Core falls back to Foundation for the message
    do {
      _ = try IncidentEvent.decode(
        type: "NoteAdded", schemaVersion: 1, payload: Data(#"{}"#.utf8), codec: FastJSONCodec())
      Issue.record("a NoteAdded without text decoded")
    } catch {
      #expect(error.description.hasPrefix("malformed NoteAdded payload: "))
      #expect(error.description.contains("text"))
    }
  }

  private static func bothAgree<T: Codable & Equatable>(on value: T) throws -> Bool {
    let json = try JSONEncoder().encode(value)
    let fast = try PayloadDecoder.decode(T.self, from: json)
    return fast == (try JSONDecoder().decode(T.self, from: json)) && fast == value
  }
}
