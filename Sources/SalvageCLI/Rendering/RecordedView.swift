import SalvageCore

/// `note`, `close`, `decide` and `import` with `--output json`: the incident, its phase after,
/// and the events the command recorded (``EventView``), plus what is particular to the command.
struct RecordedView: Encodable {
  let incident: String
  let phase: String?
  let recorded: [EventView]
  /// `decide`: the decisions recorded.
  var decisions: [StrategyDecided]?
  /// `import`: how the incident stands here (`copy`, `handedOver`, `adopted`), the events read
  /// from the file, and the file.
  var mode: String?
  var events: Int?
  var file: String?

  init(_ incident: IncidentID, phase: IncidentPhase?, recorded: [RecordedEvent]) {
    self.incident = incident.rawValue
    self.phase = phase?.rawValue
    self.recorded = recorded.map(EventView.init)
  }
}

/// `export`, `timeline`, `targets` and `handoff --export` with `--output json` and a file:
/// what was written where (the file itself has the content).
struct WrittenView: Encodable {
  let incident: String
  let out: String
  let format: String
  let bytes: Int
}
