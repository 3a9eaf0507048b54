import Foundation
internal import SalvageCore
import Synchronization

/// The states this journal object last committed or read, so an append folds only its own events
/// and a read returns at once, instead of decoding a checkpoint and replaying the tail each time.
///
/// An entry is used only while it matches the incident's last event in the file (version and
/// chain hash, read inside the write transaction), so another process appending in between simply
/// makes it miss.
final class StateCache: Sendable {
  struct Entry: Sendable {
    var state: IncidentState
    /// The chain hash of the state's last event.
    var hash: Data
    /// The version the stored checkpoint covers; `nil` when it is missing or of an older format.
    var checkpointVersion: Int?
  }

  private let entries = Mutex<[IncidentID: Entry]>([:])

  func entry(_ incident: IncidentID, matching last: LastEvent) -> Entry? {
    entries.withLock { entries in
      guard let entry = entries[incident], entry.state.version == last.version,
        entry.hash == last.hash
      else { return nil }
      return entry
    }
  }

  func store(_ entry: Entry) {
    entries.withLock { $0[entry.state.incident] = entry }
  }
}

/// An incident's latest version and chain hash: its last event's.
struct LastEvent: Equatable, Sendable {
  var version: Int
  var hash: Data

  /// Where an incident with no events stands.
  static let none = LastEvent(version: 0, hash: EventHash.genesis)
}
