/// The payload of one kind of event: a past-tense fact, stored as canonical JSON.
///
/// `typeName` is written into every stored event and is frozen once shipped, like a migration:
/// renaming a Swift type is fine, changing its `typeName` orphans every journal that holds it.
/// `schemaVersion` grows when the payload's shape changes; a journal holding a higher version than
/// this binary knows is refused rather than misread.
public protocol EventPayload: Codable, Equatable, Sendable {
  /// The frozen name stored in the journal's `type` column.
  static var typeName: String { get }
  /// The newest payload shape this binary reads and writes.
  static var schemaVersion: Int { get }
}
