#if canImport(Glibc)
  internal import Glibc
#elseif canImport(Darwin)
  internal import Darwin
#endif

/// Reads the local files of the connection configuration, failing with the OS's one-line reason.
///
/// Only a missing file (`ENOENT`) counts as absent, as Go's `os.IsNotExist`: a directory or an
/// unreadable file is an error, never silently skipped.
public enum LocalFile {
  /// Why a file could not be read: the OS's reason, one line.
  public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
    /// `Permission denied`, `Is a directory`.
    public let description: String

    /// A failure with this reason.
    public init(_ description: String) { self.description = description }

    /// The failure `errno` describes.
    init(errno code: Int32) { self.init(String(cString: strerror(code))) }
  }

  /// The whole file; a missing file is an error.
  public static func contents(of path: String) throws -> [UInt8] {
    guard let bytes = try contentsIfPresent(of: path) else { throw Failure(errno: ENOENT) }
    return bytes
  }

  /// The whole file, or `nil` when it does not exist.
  public static func contentsIfPresent(of path: String) throws(Failure) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 {
      if errno == ENOENT { return nil }
      throw Failure(errno: errno)
    }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw Failure(errno: errno)
      }
      if count == 0 { return bytes }
      bytes += buffer[0..<count]
    }
  }

  /// The file as UTF-8 text, or `nil` when it does not exist: the resolver's default reader.
  public static func textIfPresent(of path: String) throws -> String? {
    guard let bytes = try contentsIfPresent(of: path) else { return nil }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw Failure("it is not UTF-8 text")
    }
    return text
  }

  /// A one-line reason for any error a reader threw.
  static func reason(_ error: any Error) -> String {
    (error as? Failure)?.description ?? String(describing: error)
  }
}
