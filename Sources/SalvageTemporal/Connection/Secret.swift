/// A secret connection value (an API key, a private key, an auth header) that never prints itself.
///
/// `description`, `debugDescription`, string interpolation and `dump` all show only
/// `<redacted, N bytes>`; the value itself is read through ``revealed``, by the transport alone.
public struct Secret: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  /// The secret value itself, for the transport that sends it.
  public let revealed: String

  /// Wraps a secret value.
  public init(_ value: String) { revealed = value }

  /// The length in UTF-8 bytes, which is all a redacted rendering shows.
  public var byteCount: Int { revealed.utf8.count }

  /// `<redacted, N bytes>`.
  public var description: String { "<redacted, \(byteCount) bytes>" }

  /// The same as ``description``: a debugger or a test failure never shows the value.
  public var debugDescription: String { description }

  /// No children, so `dump` and reflection show nothing of the value.
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
