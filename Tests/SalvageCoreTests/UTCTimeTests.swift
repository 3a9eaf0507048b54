import SalvageCore
import Testing

@Suite struct UTCTimeTests {
  @Test func theEpochIsWrittenWithMillisecondsAndAZ() {
    #expect(UTCTime(millisecondsSinceEpoch: 0).description == "1970-01-01T00:00:00.000Z")
  }

  @Test(arguments: [
    (Int64(1_795_000_000_123), "2026-11-18T11:06:40.123Z"),
    (Int64(951_782_400_000), "2000-02-29T00:00:00.000Z"),
    (Int64(-1), "1969-12-31T23:59:59.999Z"),
    (Int64(253_402_300_799_999), "9999-12-31T23:59:59.999Z"),
  ])
  func knownInstantsFormatAndParseBack(millis: Int64, text: String) {
    // Given an instant, when it is written, then it reads back as the same instant.
    let time = UTCTime(millisecondsSinceEpoch: millis)
    #expect(time.description == text)
    #expect(UTCTime(iso8601: text) == time)
  }

  @Test(arguments: [
    "2026-02-30T00:00:00.000Z", "2026-02-29T00:00:00.000Z", "1900-02-29T00:00:00.000Z",
    "2026-04-31T00:00:00.000Z",
    "2026-11-25T24:00:00.000Z", "2026-11-25T03:12:45Z",
    "2026-11-25 03:12:45.120Z", "2026-11-25T03:12:45.120+01:00", "", "garbage",
  ])
  func malformedOrImpossibleTimesAreRefused(text: String) {
    #expect(UTCTime(iso8601: text) == nil)
  }

  @Test func theCompactStampHasNoSeparatorsButTheT() {
    #expect(UTCTime(millisecondsSinceEpoch: 1_795_000_000_123).compactStamp == "20261118T110640")
  }
}
