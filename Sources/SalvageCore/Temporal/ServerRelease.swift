/// A Temporal server's release as `GetSystemInfo` reports it (`1.32.0`, `v1.32.0-158.0`), for
/// features older servers lack.
public struct ServerRelease: Comparable, Sendable, CustomStringConvertible {
  public let major: Int
  public let minor: Int
  public let patch: Int

  /// The leading `major.minor.patch` of `text` (a `v` before it and anything after it are
  /// ignored); `nil` when it has none.
  public init?(_ text: String) {
    let trimmed = text.hasPrefix("v") ? text.dropFirst() : Substring(text)
    let numbers = trimmed.prefix { $0.isNumber || $0 == "." }.split(separator: ".").prefix(3)
      .compactMap { Int($0) }
    guard numbers.count == 3 else { return nil }
    (major, minor, patch) = (numbers[0], numbers[1], numbers[2])
  }

  public var description: String { "\(major).\(minor).\(patch)" }

  public static func < (lhs: ServerRelease, rhs: ServerRelease) -> Bool {
    (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
  }
}
