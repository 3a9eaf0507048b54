public import SalvageCore
import Synchronization

/// A simulated crash: once tripped, the "process" is gone, so nothing more reaches the journal or
/// the server. Shared by a ``CrashableJournal`` and a ``ScriptedCluster``.
public final class CrashSwitch: Sendable {
  /// What every call throws once the switch is tripped.
  public struct Crashed: Error, Equatable {}

  private let tripped = Mutex(false)

  public init() {}

  public var isTripped: Bool { tripped.withLock { $0 } }
  public func trip() { tripped.withLock { $0 = true } }
  /// A fresh process: calls go through again.
  public func reset() { tripped.withLock { $0 = false } }

  /// Throws ``Crashed`` once tripped.
  public func check() throws {
    if isTripped { throw Crashed() }
  }
}

/// A journal in front of another that changes only how appends go; every read is the other's.
public protocol WrappingJournal: EventJournal {
  var wrapped: any EventJournal { get }
}

extension WrappingJournal {
  public func executions(namedBy eventID: EventID) throws -> [ExecutionRecord] {
    try wrapped.executions(namedBy: eventID)
  }
  public func executions(namedBy eventID: EventID, chunk: Int) throws -> [ExecutionRecord] {
    try wrapped.executions(namedBy: eventID, chunk: chunk)
  }
  public func digest(of records: [ExecutionRecord]) -> String { wrapped.digest(of: records) }
  public func events(of incident: IncidentID) throws -> [RecordedEvent] {
    try wrapped.events(of: incident)
  }
  public func state(of incident: IncidentID) throws -> IncidentState? {
    try wrapped.state(of: incident)
  }
  public func incidents() throws -> [IncidentSummary] { try wrapped.incidents() }
}

/// A journal that stops taking appends once its ``CrashSwitch`` is tripped, as a killed process does.
public struct CrashableJournal: WrappingJournal {
  public let wrapped: any EventJournal
  public let crash: CrashSwitch

  public init(_ wrapped: any EventJournal, crash: CrashSwitch) {
    self.wrapped = wrapped
    self.crash = crash
  }

  public func append(
    _ events: [PendingEvent], to incident: IncidentID, expectedVersion: Int, actor: String,
    executions: ExecutionSet?
  ) throws -> [RecordedEvent] {
    try crash.check()
    return try wrapped.append(
      events, to: incident, expectedVersion: expectedVersion, actor: actor, executions: executions)
  }
}
