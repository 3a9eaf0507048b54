/// A decoding failure in one line for an operator: where in the document, and what was wrong.
public func decodingFailure(_ error: any Error) -> String {
  func place(_ path: [any CodingKey]) -> String {
    path.isEmpty ? "" : path.map(\.stringValue).joined(separator: ".") + ": "
  }
  let text: String =
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      place(context.codingPath) + "missing '\(key.stringValue)'"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
      DecodingError.dataCorrupted(let context):
      place(context.codingPath) + context.debugDescription
    default: String(describing: error)
    }
  return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "malformed JSON"
}
