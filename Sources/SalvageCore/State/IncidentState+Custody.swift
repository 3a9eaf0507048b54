extension IncidentState {
  /// Whether this journal may drive the incident; ``IncidentState/custody`` is `nil` for the
  /// journal it was opened in, until it is sealed.
  public enum Custody: Codable, Equatable, Sendable {
    /// Handed off by export from here (`handoff --export`): driven from the importing journal.
    case sealed(to: String, file: String, at: UTCTime)
    /// Imported from a plain export: a read-only copy.
    case copy(file: String)
    /// Imported from a sealed export: this journal drives it now.
    case handedOver
    /// Imported from a plain export and adopted (`import --adopt`): this journal drives it.
    case adopted

    /// Whether `run` and the step commands may drive the incident from this journal.
    public var isDrivable: Bool { self == .handedOver || self == .adopted }

    /// What `status` says of it.
    public var summary: String {
      switch self {
      case .sealed(let to, let file, let at):
        "sealed here: handed off to \(to) in \(file) at \(at) UTC"
      case .copy(let file):
        "a read-only copy of \(file) (salvage import --adopt \(file) to drive it here)"
      case .handedOver: "handed over to this journal, which drives it"
      case .adopted: "adopted into this journal, which drives it"
      }
    }

    /// The one-line refusal of a run here, saying where the incident is driven from.
    public func refusal(_ incident: IncidentID) -> String {
      switch self {
      case .sealed(let to, let file, let at):
        "incident \(incident) was handed off to \(to) in \(file) at \(at) UTC and is sealed in this "
          + "journal: it is driven from the journal that imported that file"
      case .copy(let file):
        "incident \(incident) is a read-only copy imported from \(file); to drive it from this journal "
          + "(only once the original no longer does), adopt it: salvage import --adopt \(file)"
      case .handedOver, .adopted:
        "incident \(incident) is driven from this journal"
      }
    }
  }

  /// Folds the custody events: a sealing handoff, or an import.
  mutating func applyCustody(_ event: IncidentEvent, at time: UTCTime) {
    switch event {
    case .handedOff(let handoff):
      if let file = handoff.export { custody = .sealed(to: handoff.to, file: file, at: time) }
    case .imported(let imported):
      switch imported.mode {
      case .copy: custody = .copy(file: imported.file)
      case .handedOver: custody = .handedOver
      case .adopted: custody = .adopted
      }
    default:
      break
    }
  }
}
