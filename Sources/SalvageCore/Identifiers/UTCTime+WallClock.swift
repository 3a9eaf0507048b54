import Foundation

extension UTCTime {
  /// Now, by this machine's clock, to the millisecond: what the live process stamps and compares
  /// with; tests pass their own clock instead.
  @Sendable public static func wallClock() -> UTCTime {
    UTCTime(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
  }
}
