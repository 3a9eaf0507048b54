import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What salvage asks of the terminal it may be writing to.
enum Terminal {
  /// Whether `descriptor` is a terminal (not a pipe, not a file).
  static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

  /// The terminal's width from `COLUMNS` when the shell exports it, else 80.
  static func columns(_ environment: [String: String]) -> Int {
    environment["COLUMNS"].flatMap { Int($0) }.map { max($0, 20) } ?? 80
  }

  /// The width of the terminal on `descriptor` as the kernel has it (it follows a resize), else
  /// ``columns(_:)``.
  static func width(of descriptor: Int32, _ environment: [String: String]) -> Int {
    var size = winsize()
    guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
      return columns(environment)
    }
    return max(Int(size.ws_col), 20)
  }
}
