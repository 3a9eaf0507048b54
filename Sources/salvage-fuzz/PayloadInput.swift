import Foundation
import SalvageCore
import SalvageJSON

/// One input for the payload readers, as import and replay call them: a type name, a newline,
/// then the payload bytes.
struct PayloadInput {
  let type: String
  let payload: Data

  init(_ bytes: [UInt8]) {
    let newline = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
    type = String(decoding: bytes[..<newline], as: UTF8.self)
    payload = Data(bytes[min(newline + 1, bytes.endIndex)...])
  }

  /// Reads the payload through `codec`, then tokenizes it alone; what went wrong, or `nil`.
  /// Each may refuse anything, but only with a one-line `EventDecodingError` (typed throws), and
  /// never trap.
  func check(codec: any JSONCodec) -> String? {
    defer { _ = try? PayloadDecoder.withDocument(payload) { document in document.member("type") } }
    do {
      _ = try IncidentEvent.decode(type: type, schemaVersion: 1, payload: payload, codec: codec)
    } catch {
      if error.description.contains("\n") { return "a multi-line EventDecodingError: \(error)" }
    }
    return nil
  }
}
