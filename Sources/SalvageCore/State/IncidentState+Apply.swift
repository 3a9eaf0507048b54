extension IncidentState {
  /// Applies one recorded event. Pure and total: never throws, never traps.
  public mutating func apply(_ recorded: RecordedEvent) {
    version += 1
    lastPosition = recorded.position
    lastEventAt = recorded.recordedAt
    if recorded.incident != incident {
      anomaly(recorded, "event of incident \(recorded.incident) folded into \(incident)")
      return
    }
    if recorded.version != version {
      anomaly(recorded, "event version \(recorded.version) where \(version) was expected")
    }
    switch recorded.event {
    case .opened(let opened):
      guard details == nil else {
        anomaly(recorded, "IncidentOpened again; the first one stands")
        return
      }
      details = Details(
        deployment: opened.deployment, badBuild: opened.badBuild, goodBuild: opened.goodBuild,
        namespace: opened.namespace, title: opened.title, openedBy: opened.operatorName,
        openedAt: recorded.recordedAt, openingEvent: recorded.id)
      phase = .opened
    case .noteAdded(let note):
      if details == nil { anomaly(recorded, "note before IncidentOpened") }
      noteCount += 1
      if recentNotes.count == Self.recentNoteLimit { recentNotes.removeFirst() }
      recentNotes.append(
        Note(
          version: recorded.version, at: recorded.recordedAt, by: recorded.actor, text: note.text))
    case .closed(let closed):
      guard closure == nil else {
        anomaly(recorded, "IncidentClosed again; the first one stands")
        return
      }
      closure = Closure(at: recorded.recordedAt, by: recorded.actor, reason: closed.reason)
      phase = .closed
    case .leaseAcquired(let acquired):
      lease = Lease(
        holder: acquired.holder, host: acquired.host, expiresAt: acquired.expiresAt,
        runID: acquired.runID,
        pid: acquired.pid)
      holder = acquired.holder
    case .leaseRenewed(let renewed):
      guard lease?.isHeld(by: renewed.holder, runID: renewed.runID) == true else {
        anomaly(recorded, "lease renewed by \(renewed.holder), who does not hold it")
        return
      }
      lease?.expiresAt = renewed.expiresAt
    case .leaseReleased(let released):
      if lease?.isHeld(by: released.holder, runID: released.runID) == true { lease = nil }
    case .handedOff(let handoff):
      if lease?.holder == handoff.from { lease = nil }
      holder = handoff.to
      handoffs.append(
        Handoff(at: recorded.recordedAt, from: handoff.from, to: handoff.to, note: handoff.note))
      applyCustody(recorded.event, at: recorded.recordedAt)
    case .imported:
      applyCustody(recorded.event, at: recorded.recordedAt)
    default:
      applyRunbook(recorded.event, recorded)
    }
  }

  mutating func anomaly(_ recorded: RecordedEvent, _ message: String) {
    anomalies.append(Anomaly(version: recorded.version, message: message))
  }

  /// Every note among `events`, in order (the state itself keeps only the latest few).
  public static func notes(in events: some Sequence<RecordedEvent>) -> [Note] {
    events.compactMap { recorded in
      guard case .noteAdded(let note) = recorded.event else { return nil }
      return Note(
        version: recorded.version, at: recorded.recordedAt, by: recorded.actor, text: note.text)
    }
  }
}
