import Foundation
import SalvageCore
import SalvageFakes
import SalvageJSON
import SalvageJournal
import Testing

@Suite struct CanonicalJSONEncoderTests {
  @Test(arguments: EveryEventKind.events)
  func everyPayloadIsTheBytesJSONEncoderWrites(event: IncidentEvent) throws {
    // Given JSONEncoder with sorted keys and unescaped slashes, as the journal has always stored
    let expected = try Self.foundation.encode(AnyEncodable(event.payload))
    // When the canonical encoder writes the payload, then it writes the same bytes
    #expect(try CanonicalJSONEncoder.data(AnyEncodable(event.payload)) == expected)
    // And so does the journal's codec, the one Core is handed
    #expect(event.canonicalPayload(codec: FastJSONCodec()) == expected)
  }

  @Test(arguments: EveryEventKind.events)
  func everyPayloadReadsBackThroughTheJournalsCodec(event: IncidentEvent) throws {
    // Given a payload's stored bytes
    let stored = event.canonicalPayload()
    // When the journal's codec reads them, then it reads the event back
    let decoded = try IncidentEvent.decode(
      type: event.typeName, schemaVersion: event.schemaVersion, payload: stored,
      codec: FastJSONCodec())
    #expect(decoded == event)
  }

  @Test(arguments: EveryEventKind.events)
  func everyPayloadIsReadByTheFastReaderItself(event: IncidentEvent) throws {
    // Given a payload's stored bytes, when the fast reader reads them without any fallback
    func read<P: EventPayload>(_ payload: P) throws -> Data {
      try CanonicalJSONEncoder.data(PayloadDecoder.decode(P.self, from: event.canonicalPayload()))
    }
    // Then it reads them, and the value writes back to the same bytes
    #expect(try read(event.payload) == event.canonicalPayload())
  }

  @Test func aSnapshotIsTheBytesJSONEncoderWrites() throws {
    // Given a state folded from every kind of event
    let incident = try #require(IncidentID(rawValue: "inc-1"))
    let id = try #require(EventID(rawValue: "0192f6a8-1c2d-7e3f-8a4b-5c6d7e8f9a0b"))
    var state = IncidentState(incident: incident)
    for (index, event) in EveryEventKind.events.enumerated() {
      state.apply(
        RecordedEvent(
          position: Int64(index + 1), id: id, incident: incident, version: index + 1,
          recordedAt: UTCTime(millisecondsSinceEpoch: Int64(index)), actor: "alice", event: event))
    }
    // When the journal's codec writes its snapshot, then it is Foundation's bytes
    #expect(try state.snapshotJSON(codec: FastJSONCodec()) == state.snapshotJSON())
  }

  @Test func everyKindOfDoubleIsWrittenAsJSONEncoderWritesIt() throws {
    // Given doubles of every shape, and random bit patterns
    var doubles: [Double] = [
      0, -0.0, 1, -1, 2, 10, 100, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 12.5, 0.1, 0.2, 0.3,
      1.0 / 3, 2.0 / 3, 100.0 / 3, 123_456_789.125, 9_007_199_254_740_992, 9_007_199_254_740_994,
      -9_007_199_254_740_994, 1e-5, 1e-6, 1e-7, 0.001, Double(bitPattern: 1),
      -Double(bitPattern: 1),
      Double.leastNonzeroMagnitude, Double.leastNormalMagnitude, Double.leastNormalMagnitude / 3,
      Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, Double.ulpOfOne, .pi, -.pi,
      Double(Int64.max), Double(Int64.min), Double(UInt64.max), 4.35, 0.000_001_5, 1e300, 1e-300,
    ]
    doubles += (0...40).map { Double(sign: .plus, exponent: $0 * 25 - 500, significand: 1.5) }
    var generator = SplitMix64(seed: 0x5A17_A6E5)
    while doubles.count < 20_000 {
      let value = Double(bitPattern: generator.next())
      if value.isFinite { doubles.append(value) }
    }
    doubles += doubles.prefix(2_000).map { $0.rounded() }
    for value in doubles {
      // When each is written alone, in a member and in an array (with a Float of its low bits)
      // Then the canonical encoder writes JSONEncoder's bytes
      let float = Float(bitPattern: UInt32(truncatingIfNeeded: value.bitPattern))
      let sample = Sample(
        value: value, values: [value, -value], float: float.isFinite ? float : 0.5)
      #expect(try CanonicalJSONEncoder.data(sample) == Self.foundation.encode(sample), "\(value)")
      #expect(try CanonicalJSONEncoder.data(value) == Self.foundation.encode(value), "\(value)")
    }
  }

  @Test(arguments: [0, 12.5, 100, 33.333_333_333_333_336, 1e-7, 99.999_999_999_999_99, -0.0])
  func aRampPercentageIsWrittenAsJSONEncoderWritesIt(percentage: Double) throws {
    // Given the payload that holds a Double
    let event = IncidentEvent.rolloutObserved(
      RolloutObserved(currentBuild: "v1", rampingBuild: "v2", rampPercentage: percentage))
    // When the journal's codec writes it, then the bytes are Foundation's, and read back
    let stored = event.canonicalPayload(codec: FastJSONCodec())
    #expect(stored == event.canonicalPayload())
    let decoded = try IncidentEvent.decode(
      type: event.typeName, schemaVersion: 1, payload: stored, codec: FastJSONCodec())
    #expect(decoded == event)
  }

  @Test(arguments: [Double.infinity, -.infinity, .nan, .signalingNaN])
  func aNonFiniteDoubleIsRefusedAsJSONEncoderRefusesIt(value: Double) {
    // Given a double JSON cannot hold, then JSONEncoder refuses it as an invalid value
    #expect {
      try Self.foundation.encode(Sample(value: value, values: [], float: 0))
    } throws: { error in
      guard case EncodingError.invalidValue = error else { return false }
      return true
    }
    // When the canonical encoder writes it, then it refuses it the same way
    #expect {
      try CanonicalJSONEncoder.data(Sample(value: value, values: [], float: 0))
    } throws: { error in
      guard case EncodingError.invalidValue = error else { return false }
      return true
    }
    #expect {
      try CanonicalJSONEncoder.data([value])
    } throws: { error in
      guard case EncodingError.invalidValue = error else { return false }
      return true
    }
  }

  private struct Sample: Encodable {
    let value: Double
    let values: [Double]
    let float: Float
  }

  private static let foundation: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()
}

/// A seeded generator (SplitMix64), so a failing bit pattern is the same on every run.
private struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}
