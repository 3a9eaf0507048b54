/// An operator wrote a free-text note into the incident's record.
public struct NoteAdded: EventPayload {
  public static let typeName = "NoteAdded"
  public static let schemaVersion = 1

  /// The note as typed.
  public let text: String

  /// Creates the payload.
  public init(text: String) { self.text = text }
}
