/// Operator input that salvage refuses, with a one-line message saying why.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The one-line message shown to the operator.
  public let message: String

  /// Creates an error with a one-line message.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

/// Renders operator text inside an error message: quoted, with control characters escaped and
/// long values cut, so a message always stays on one line.
public struct Quoted: CustomStringConvertible, Sendable {
  let text: String

  /// Wraps the text to quote.
  public init(_ text: String) { self.text = text }

  public var description: String {
    var out = "'"
    for (index, scalar) in text.unicodeScalars.enumerated() {
      if index == 80 {
        out += "…"
        break
      }
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.properties.generalCategory == .control:
        out += "\\u{\(String(scalar.value, radix: 16))}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "'"
  }
}
