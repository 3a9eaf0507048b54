/// An operator closed the incident: nothing more will be done under it.
public struct IncidentClosed: EventPayload {
  public static let typeName = "IncidentClosed"
  public static let schemaVersion = 1

  /// Why it was closed, in the operator's words.
  public let reason: String

  /// Creates the payload.
  public init(reason: String) { self.reason = reason }
}
