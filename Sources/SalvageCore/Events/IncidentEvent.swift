/// Every fact an incident's journal can hold, one case per ``EventPayload`` type.
///
/// Adding an event: a payload type, a case here, an entry in ``IncidentEvent/registry``, and a rule
/// in the fold (`IncidentState+Apply.swift`).
public enum IncidentEvent: Equatable, Sendable {
  case opened(IncidentOpened)
  case noteAdded(NoteAdded)
  case closed(IncidentClosed)
  case rolloutObserved(RolloutObserved)
  case actionStarted(ActionStarted)
  case actionSucceeded(ActionSucceeded)
  case actionFailed(ActionFailed)
  case actionAbandoned(ActionAbandoned)
  case actionReconciled(ActionReconciled)
  case affectedIdentified(AffectedExecutionsIdentified)
  case strategyDecided(StrategyDecided)
  case batchProgressed(BatchProgressed)
  case drainageObserved(DrainageObserved)
  case closedTargetsFrozen(ClosedTargetsFrozen)
  case closedRunsReset(ClosedRunsReset)
  case restartTargetsFrozen(RestartTargetsFrozen)
  case runsRestarted(RunsRestarted)
  case pollersChecked(PollersChecked)
  case overridesReviewed(OverridesReviewed)
  case versionDeleted(VersionDeleted)
  case managerReturned(ManagerReturned)
  case leaseAcquired(LeaseAcquired)
  case leaseRenewed(LeaseRenewed)
  case leaseReleased(LeaseReleased)
  case handedOff(HandedOff)
  case imported(IncidentImported)

  /// The payload value itself.
  public var payload: any EventPayload {
    switch self {
    case .opened(let payload): payload
    case .noteAdded(let payload): payload
    case .closed(let payload): payload
    case .rolloutObserved(let payload): payload
    case .actionStarted(let payload): payload
    case .actionSucceeded(let payload): payload
    case .actionFailed(let payload): payload
    case .actionAbandoned(let payload): payload
    case .actionReconciled(let payload): payload
    case .affectedIdentified(let payload): payload
    case .strategyDecided(let payload): payload
    case .batchProgressed(let payload): payload
    case .drainageObserved(let payload): payload
    case .closedTargetsFrozen(let payload): payload
    case .closedRunsReset(let payload): payload
    case .restartTargetsFrozen(let payload): payload
    case .runsRestarted(let payload): payload
    case .pollersChecked(let payload): payload
    case .overridesReviewed(let payload): payload
    case .versionDeleted(let payload): payload
    case .managerReturned(let payload): payload
    case .leaseAcquired(let payload): payload
    case .leaseRenewed(let payload): payload
    case .leaseReleased(let payload): payload
    case .handedOff(let payload): payload
    case .imported(let payload): payload
    }
  }

  /// The digest of the execution set this event names, if it names one.
  public var namedSetDigest: String? {
    switch self {
    case .affectedIdentified(let identified): identified.digest
    case .closedTargetsFrozen(let frozen): frozen.digest
    case .restartTargetsFrozen(let frozen): frozen.digest
    case .overridesReviewed(let reviewed): reviewed.digest
    default: nil
    }
  }

  /// The frozen type name stored with the event.
  public var typeName: String { type(of: payload).typeName }

  /// The payload schema version stored with the event.
  public var schemaVersion: Int { type(of: payload).schemaVersion }
}
