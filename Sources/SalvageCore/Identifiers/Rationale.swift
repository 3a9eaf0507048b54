/// The rules for a decision's rationale: a sentence that goes into the record.
public enum Rationale {
  /// The longest rationale, in characters.
  public static let maximumLength = 2000

  /// Returns the rationale, or throws saying what is wrong with it.
  public static func validate(_ text: String) throws(InputError) -> String {
    guard text.unicodeScalars.count <= maximumLength else {
      throw InputError("rationale is longer than \(maximumLength) characters")
    }
    guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
      throw InputError("rationale \(Quoted(text)) is malformed: it contains a control character")
    }
    return text
  }
}
