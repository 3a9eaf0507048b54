public import Foundation

/// Why a stored event could not be read back.
public enum EventDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The type name is not one this binary knows (written by a newer salvage?).
  case unknownType(String)
  /// The payload shape is newer than this binary reads.
  case newerSchema(type: String, stored: Int, known: Int)
  /// The payload is not valid JSON for its type.
  case malformedPayload(type: String, reason: String)

  public var description: String {
    switch self {
    case .unknownType(let type):
      "unknown event type \(Quoted(type)) (written by a newer salvage?)"
    case .newerSchema(let type, let stored, let known):
      "event type \(type) has payload schema \(stored), this salvage reads up to \(known)"
    case .malformedPayload(let type, let reason):
      "malformed \(type) payload: \(reason)"
    }
  }
}

extension IncidentEvent {
  /// The canonical JSON of the payload: sorted keys, no insignificant white space.
  ///
  /// The journal stores exactly these bytes and the hash chain covers them, so they never need to be
  /// produced again from the decoded value.
  public func canonicalPayload() -> Data {
    do {
      return try Self.encoder.encode(payload)
    } catch {
      // Our payloads are plain structs of strings and numbers: failing to encode one is a bug.
      preconditionFailure("cannot encode \(typeName): \(error)")
    }
  }

  /// Reads a stored event back from its type name, schema version and payload bytes.
  public static func decode(type: String, schemaVersion: Int, payload: Data) throws(
    EventDecodingError
  ) -> IncidentEvent {
    switch type {
    case IncidentOpened.typeName:
      return .opened(try read(IncidentOpened.self, schemaVersion, payload))
    case NoteAdded.typeName:
      return .noteAdded(try read(NoteAdded.self, schemaVersion, payload))
    case IncidentClosed.typeName:
      return .closed(try read(IncidentClosed.self, schemaVersion, payload))
    default:
      throw .unknownType(type)
    }
  }

  private static func read<P: EventPayload>(_ type: P.Type, _ schemaVersion: Int, _ payload: Data)
    throws(EventDecodingError) -> P
  {
    guard schemaVersion <= P.schemaVersion else {
      throw .newerSchema(type: P.typeName, stored: schemaVersion, known: P.schemaVersion)
    }
    do {
      return try JSONDecoder().decode(P.self, from: payload)
    } catch {
      throw .malformedPayload(type: P.typeName, reason: String(describing: error))
    }
  }

  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()
}
