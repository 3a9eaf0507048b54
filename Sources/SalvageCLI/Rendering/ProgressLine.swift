import Foundation

/// The terminal's progress line: one line that a long wait rewrites in place (carriage return,
/// erase line), with its counts and the run's elapsed time; and every other line printed above it.
///
/// On anything but a terminal (a pipe, a file, `tee`, CI) the lines go out as they are, with no
/// carriage return and no escape sequence, and a wait is not silent: once it has gone
/// ``pipeInterval`` seconds without a line, its progress is printed as a plain line, and again every
/// ``pipeInterval`` seconds, so a run waiting minutes for drainage or pollers does not look hung. On a terminal the progress is
/// dim, unless `NO_COLOR` is set to anything non-empty (<https://no-color.org>). Every text is
/// escaped (``VisibleText``) and flattened to one line before it is written; only the escapes this
/// type adds itself stay live.
final class ProgressLine: @unchecked Sendable {
  /// Erase the line the cursor is on and go back to its start.
  static let erase = "\r\u{1B}[2K"
  static let dim = "\u{1B}[2m"
  static let reset = "\u{1B}[0m"

  private let isTerminal: Bool
  private let colour: Bool
  private let width: Int
  private let write: @Sendable (String) -> Void
  private let lock = NSLock()
  /// Whether a progress line is on screen now (so the next line must erase it first).
  private var showing = false
  /// Not on a terminal: when the quiet that progress is printed after began (the wait's first
  /// update since a line, or the last progress printed); `nil` right after a line.
  private var quietSince: Double?
  /// Seconds of quiet after which a wait's progress is printed as a line when not on a terminal.
  static let pipeInterval = 30.0

  /// - Parameters:
  ///   - isTerminal: whether the output is a terminal (`isatty`).
  ///   - noColor: the value of `NO_COLOR`, if set; any non-empty value turns colour off.
  ///   - width: the terminal's columns: a longer progress line is cut, so it never wraps.
  ///   - write: where the bytes go.
  init(
    isTerminal: Bool, noColor: String?, width: Int = 80, write: @escaping @Sendable (String) -> Void
  ) {
    self.isTerminal = isTerminal
    colour = isTerminal && (noColor ?? "").isEmpty
    self.width = max(width, 20)
    self.write = write
  }

  /// Shows `text` as the progress line, in place of the one before; `elapsed` seconds since the
  /// run began. When the output is not a terminal, a plain line once the wait has been quiet for
  /// ``pipeInterval`` seconds, and nothing before.
  func update(_ text: String, elapsed: Double) {
    let plain = "  … " + VisibleText.escaped(VisibleText.flat(text)) + " · " + Self.clock(elapsed)
    guard isTerminal else {
      lock.withLock {
        let since = quietSince ?? elapsed
        quietSince = since
        guard elapsed - since >= Self.pipeInterval else { return }
        write(plain + "\n")
        quietSince = elapsed
      }
      return
    }
    var line = plain
    if line.count > width - 1 { line = String(line.prefix(width - 2)) + "…" }
    let styled = colour ? Self.dim + line + Self.reset : line
    lock.withLock {
      write(Self.erase + styled)
      showing = true
    }
  }

  /// Prints one whole line (escaped, line feeds kept), above the progress line if one is showing.
  func say(_ line: String) {
    let text = VisibleText.escaped(line, keepingLineFeeds: true) + "\n"
    lock.withLock {
      write((showing ? Self.erase : "") + text)
      showing = false
      quietSince = nil
    }
  }

  /// Erases the progress line, if one is showing: the run is over.
  func clear() {
    lock.withLock {
      if showing { write(Self.erase) }
      showing = false
    }
  }

  /// `42 s`, `3 min 05 s`, `1 h 02 min`.
  static func clock(_ seconds: Double) -> String {
    let total = Int(seconds.rounded(.down))
    if total < 60 { return "\(total) s" }
    func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    if total < 3600 { return "\(total / 60) min \(twoDigits(total % 60)) s" }
    return "\(total / 3600) h \(twoDigits(total % 3600 / 60)) min"
  }
}
