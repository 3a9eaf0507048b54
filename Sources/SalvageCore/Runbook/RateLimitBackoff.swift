/// How salvage's own per-run calls slow down when the namespace's rate limit refuses one
/// (``TemporalError/rateLimited(call:message:)``, which the server answers before acting): wait,
/// doubling from half a second to ten, and send it again; a refusal is not one of the few
/// attempts a lost answer gets. After ``limit`` refusals in a row for one run the call fails, with
/// the server's message.
struct RateLimitBackoff {
  static let limit = 30
  private var refusals = 0

  /// The wait before the next try, or `nil` when the refusals are used up.
  mutating func next() -> Duration? {
    refusals += 1
    guard refusals <= Self.limit else { return nil }
    return .milliseconds(min(500 << min(refusals - 1, 5), 10_000))
  }
}

extension TemporalError {
  /// The namespace's rate limit refused the call before it acted.
  var isRateLimited: Bool {
    if case .rateLimited = self { return true }
    return false
  }
}
