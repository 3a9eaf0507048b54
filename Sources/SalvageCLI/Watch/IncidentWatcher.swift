import SalvageCore
import SalvageJournal

/// Follows one incident in the journal, read-only and without a lease: at each look it reads
/// the events recorded since the last one, folds them into the state it holds (the same fold
/// every reader uses), and shows the frame they leave.
///
/// It only reads: WAL readers never block the run that appends, and the run never waits for it.
struct IncidentWatcher {
  let store: SQLiteEventJournal
  let incident: IncidentID
  /// Ends the watch at this phase too, besides cleaned and closed.
  let until: IncidentPhase?
  /// This process as a would-be holder, to tell a live lease from one whose run is gone.
  let watcher: RunIdentity
  let isRunning: @Sendable (Int) -> Bool
  let now: @Sendable () -> UTCTime
  /// Between two looks.
  let interval: Duration
  /// At most this many looks (`nil`: until the incident ends); for tests.
  var looks: Int? = nil

  /// Why a watch ended.
  enum Ending: Equatable {
    case cleaned, closed
    case reached(IncidentPhase)
    /// Driven from another journal: why, and from where.
    case elsewhere(String)
    /// The looks a test allowed ran out.
    case stoppedLooking
  }

  func watch(on screen: WatchScreen) async throws -> Ending {
    guard var state = try store.state(of: incident) else {
      throw CommandError.incident("incident \(incident) has no events")
    }
    screen.remember(
      try store.events(of: incident, after: max(0, state.version - WatchScreen.recentCount)))
    var first = WatchFrame(state, driver: driver(state), until: until)
    screen.show(first, after: [])
    var look = 0
    while !first.isFinal {
      look += 1
      if let looks, look >= looks { return .stoppedLooking }
      try await Task.sleep(for: interval)
      let new = try store.events(of: incident, after: state.version)
      if let ended = show(new, folding: &state, on: screen) { return ended }
      first = WatchFrame(state, driver: driver(state), until: until)
    }
    return ending(state)
  }

  /// Folds `new` into `state` and shows what it leaves: a pipe the frame after each event (so no
  /// phase goes unsaid between two looks), a terminal the frame after them all (and both the frame
  /// of a look that found nothing new: a lease runs out by itself). Returns how the
  /// watch ends when an event ends it.
  func show(_ new: [RecordedEvent], folding state: inout IncidentState, on screen: WatchScreen)
    -> Ending?
  {
    guard screen.showsEveryChange, !new.isEmpty else {
      for event in new { state.apply(event) }
      let frame = WatchFrame(state, driver: driver(state), until: until)
      screen.show(frame, after: new)
      return frame.isFinal ? ending(state) : nil
    }
    for event in new {
      state.apply(event)
      let frame = WatchFrame(state, driver: driver(state), until: until)
      screen.show(frame, after: [event])
      if frame.isFinal { return ending(state) }
    }
    return nil
  }

  /// The lease as this host finds it now.
  func driver(_ state: IncidentState) -> Lease.Check {
    Lease.check(state.lease, by: watcher, now: now(), isRunning: isRunning)
  }

  func ending(_ state: IncidentState) -> Ending {
    if state.closure != nil { return .closed }
    if let custody = state.custody, !custody.isDrivable {
      return .elsewhere(custody.refusal(state.incident))
    }
    if state.phase == .cleaned { return .cleaned }
    return .reached(state.phase ?? .opened)
  }
}
