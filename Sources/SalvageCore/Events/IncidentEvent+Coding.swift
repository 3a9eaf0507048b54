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
  /// The canonical JSON of the payload: sorted keys, no insignificant white space, as
  /// `JSONEncoder` writes it (a faster `codec` writes the same bytes).
  ///
  /// The journal stores exactly these bytes and the hash chain covers them, so they never need to be
  /// produced again from the decoded value.
  public func canonicalPayload(codec: any JSONCodec = FoundationJSONCodec()) -> Data {
    do {
      return try codec.encode(payload)
    } catch {
      // Our payloads are plain structs of strings and numbers: failing to encode one is a bug.
      preconditionFailure("cannot encode \(typeName): \(error)")
    }
  }

  /// Reads a stored event back from its type name, schema version and payload bytes, through
  /// `codec` (what it refuses, `JSONDecoder` reads, so values and errors are Foundation's).
  public static func decode(
    type: String, schemaVersion: Int, payload: Data, codec: any JSONCodec = FoundationJSONCodec()
  )
    throws(EventDecodingError) -> IncidentEvent
  {
    do {
      return try payload.withUnsafeBytes { raw in
        try decode(type: type, schemaVersion: schemaVersion, payload: raw, codec: codec)
      }
    } catch let error as EventDecodingError {
      throw error
    } catch {
      throw .malformedPayload(type: type, reason: String(describing: error))
    }
  }

  /// Reads a stored event back from payload bytes borrowed for the call.
  public static func decode(
    type: String, schemaVersion: Int, payload: UnsafeRawBufferPointer,
    codec: any JSONCodec = FoundationJSONCodec()
  )
    throws(EventDecodingError) -> IncidentEvent
  {
    guard let reader = reader(forType: type, codec: codec) else { throw .unknownType(type) }
    return try reader.decode(schemaVersion: schemaVersion, payload: payload)
  }

  /// How to read payloads of one stored type through `codec`; `nil` for a type this binary does
  /// not know. Replaying a journal looks each type up once instead of once per event.
  public static func reader(forType type: String, codec: any JSONCodec = FoundationJSONCodec())
    -> PayloadReader?
  {
    registry[type].map { PayloadReader(type: type, codec: codec, read: $0) }
  }

  /// Reads payloads of one stored type. A class: a replay hands one out per event, and copying a
  /// struct holding a codec existential cost a value-witness copy each time.
  public final class PayloadReader: Sendable {
    let type: String
    let codec: any JSONCodec
    let read: @Sendable (Int, UnsafeRawBufferPointer, any JSONCodec) throws -> IncidentEvent

    init(
      type: String, codec: any JSONCodec,
      read: @escaping @Sendable (Int, UnsafeRawBufferPointer, any JSONCodec) throws -> IncidentEvent
    ) {
      self.type = type
      self.codec = codec
      self.read = read
    }

    public func decode(schemaVersion: Int, payload: UnsafeRawBufferPointer)
      throws(EventDecodingError) -> IncidentEvent
    {
      do {
        return try read(schemaVersion, payload, codec)
      } catch let error as EventDecodingError {
        throw error
      } catch {
        throw .malformedPayload(type: type, reason: String(describing: error))
      }
    }
  }

  private typealias Reader =
    @Sendable (Int, UnsafeRawBufferPointer, any JSONCodec) throws -> IncidentEvent

  /// Every stored type name and how to read it back: the one list to extend with a new event.
  private static let registry: [String: Reader] = {
    func entry<P: EventPayload>(_ type: P.Type, _ wrap: @escaping @Sendable (P) -> IncidentEvent)
      -> (String, Reader)
    {
      (P.typeName, { version, data, codec in wrap(try read(P.self, version, data, codec)) })
    }
    return Dictionary(uniqueKeysWithValues: [
      entry(IncidentOpened.self, IncidentEvent.opened),
      entry(NoteAdded.self, IncidentEvent.noteAdded),
      entry(IncidentClosed.self, IncidentEvent.closed),
      entry(RolloutObserved.self, IncidentEvent.rolloutObserved),
      entry(ActionStarted.self, IncidentEvent.actionStarted),
      entry(ActionSucceeded.self, IncidentEvent.actionSucceeded),
      entry(ActionFailed.self, IncidentEvent.actionFailed),
      entry(ActionAbandoned.self, IncidentEvent.actionAbandoned),
      entry(ActionReconciled.self, IncidentEvent.actionReconciled),
      entry(AffectedExecutionsIdentified.self, IncidentEvent.affectedIdentified),
      entry(StrategyDecided.self, IncidentEvent.strategyDecided),
      entry(BatchProgressed.self, IncidentEvent.batchProgressed),
      entry(DrainageObserved.self, IncidentEvent.drainageObserved),
      entry(ClosedTargetsFrozen.self, IncidentEvent.closedTargetsFrozen),
      entry(ClosedRunsReset.self, IncidentEvent.closedRunsReset),
      entry(RestartTargetsFrozen.self, IncidentEvent.restartTargetsFrozen),
      entry(RunsRestarted.self, IncidentEvent.runsRestarted),
      entry(PollersChecked.self, IncidentEvent.pollersChecked),
      entry(OverridesReviewed.self, IncidentEvent.overridesReviewed),
      entry(VersionDeleted.self, IncidentEvent.versionDeleted),
      entry(ManagerReturned.self, IncidentEvent.managerReturned),
      entry(LeaseAcquired.self, IncidentEvent.leaseAcquired),
      entry(LeaseRenewed.self, IncidentEvent.leaseRenewed),
      entry(LeaseReleased.self, IncidentEvent.leaseReleased),
      entry(HandedOff.self, IncidentEvent.handedOff),
      entry(IncidentImported.self, IncidentEvent.imported),
    ])
  }()

  private static func read<P: EventPayload>(
    _ type: P.Type, _ schemaVersion: Int, _ payload: UnsafeRawBufferPointer,
    _ codec: any JSONCodec
  )
    throws(EventDecodingError) -> P
  {
    guard schemaVersion <= P.schemaVersion else {
      throw .newerSchema(type: P.typeName, stored: schemaVersion, known: P.schemaVersion)
    }
    do {
      return try codec.decode(P.self, from: payload)
    } catch {
      // Foundation's refusal says why. A faster codec may refuse what Foundation reads, and says
      // less about why: Foundation reads it again, for the value or the message.
      guard !(codec is FoundationJSONCodec) else {
        throw .malformedPayload(type: P.typeName, reason: String(describing: error))
      }
    }
    do {
      return try FoundationJSONCodec().decode(P.self, from: payload)
    } catch {
      throw .malformedPayload(type: P.typeName, reason: String(describing: error))
    }
  }
}
