import Foundation
import SalvageCore
import SalvageJSON
import SalvageJournal
import Testing

/// The journal's codec reads a stored time from its bytes and a drainage status through its fast
/// string path: it must read exactly what Foundation reads, since a replay and a `verify` fold
/// the same journal.
@Suite struct FastJSONCodecTests {
  @Test(arguments: [
    "drained", "draining", "unspecified", "", "VERSION_DRAINAGE_STATUS_NEW", "dr\\u0061ined",
    "épuisé",
  ])
  func aDrainageStatusReadsAsFoundationReadsIt(text: String) throws {
    // Given a stored DrainageObserved, its status known, unknown, escaped or beyond ASCII
    let stored = Data(
      #"{"checkedAt":"2026-12-01T03:00:00.250Z","drainage":"\#(text)","runningPinned":2}"#.utf8)
    // When the journal's codec and Foundation read it
    let fast = try stored.withUnsafeBytes {
      try FastJSONCodec().decode(DrainageObserved.self, from: $0)
    }
    let foundation = try JSONDecoder().decode(DrainageObserved.self, from: stored)
    // Then they read the same status and the same time
    #expect(fast.drainage == foundation.drainage)
    #expect(fast.checkedAt == foundation.checkedAt)
    #expect(fast.checkedAt?.description == "2026-12-01T03:00:00.250Z")
    #expect((fast.drainage == .drained) == (text == "drained" || text == "dr\\u0061ined"))
  }

  @Test func aDrainageStatusThatIsNotUTF8IsRefused() {
    // Given a stored status whose one byte is not UTF-8
    let stored =
      Data(#"{"drainage":""#.utf8) + Data([0xFF]) + Data(#"","runningPinned":2}"#.utf8)
    // When the journal's codec reads it, then it refuses it as invalid UTF-8, and so does
    // Foundation, as data that is not JSON
    #expect(throws: PayloadDecoder.Refusal.invalidUTF8) {
      try stored.withUnsafeBytes { try FastJSONCodec().decode(DrainageObserved.self, from: $0) }
    }
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(DrainageObserved.self, from: stored)
    }
  }
}
