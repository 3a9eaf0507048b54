import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

/// `--journal`, `--incident` and `--operator`, shared by every command.
struct JournalOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "The journal file (env SALVAGE_JOURNAL; default ./salvage.sqlite).")
  var journal: String?

  @Option(
    name: .long,
    help: "The incident (default: the only open incident in the journal).")
  var incident: String?

  @Option(
    name: .customLong("operator"),
    help: "Who is acting, recorded with every event (env SALVAGE_OPERATOR; default the login name)."
  )
  var operatorName: String?

  /// The journal path: the option, then `SALVAGE_JOURNAL`, then `./salvage.sqlite`.
  func journalPath(_ environment: [String: String]) -> String {
    if let journal { return journal }
    if let path = environment["SALVAGE_JOURNAL"], !path.isEmpty { return path }
    return "salvage.sqlite"
  }

  /// The operator: the option, then `SALVAGE_OPERATOR`, then the login name.
  func operatorName(_ environment: [String: String]) throws(InputError) -> String {
    let name =
      operatorName ?? environment["SALVAGE_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? LiveEnvironment.loginName(environment)
    return try OperatorName.validate(name)
  }

  /// The explicit `--incident`, validated.
  func explicitIncident() throws(InputError) -> IncidentID? {
    guard let incident else { return nil }
    return try IncidentID.parse(incident)
  }

  /// Opens the existing journal; only `open` creates one.
  func openJournal(_ environment: [String: String], create: Bool = false) throws(JournalError)
    -> SQLiteEventJournal
  {
    try SQLiteEventJournal(
      path: journalPath(environment), create: create, now: LiveEnvironment.now)
  }

  /// The incident to act on: `--incident` if given (it must exist), else the only open one.
  func resolveIncident(in journal: SQLiteEventJournal) throws -> IncidentID {
    let incidents = try journal.incidents()
    if let id = try explicitIncident() {
      guard incidents.contains(where: { $0.incident == id }) else {
        let known = incidents.map(\.incident.rawValue).joined(separator: ", ")
        throw CommandError.incident(
          "no incident \(id) in \(journal.path)" + (known.isEmpty ? "" : " (it has: \(known))"))
      }
      return id
    }
    let open = incidents.filter(\.isOpen)
    switch open.count {
    case 1:
      return open[0].incident
    case 0:
      let closed = incidents.map(\.incident.rawValue).joined(separator: ", ")
      throw CommandError.incident(
        "no open incident in \(journal.path)"
          + (closed.isEmpty
            ? "; start one with 'salvage open'" : " (closed: \(closed)); pass --incident"))
    default:
      let names = open.map(\.incident.rawValue).joined(separator: ", ")
      throw CommandError.incident(
        "\(open.count) open incidents in \(journal.path): \(names); choose one with --incident")
    }
  }
}

/// The rules for an operator's name: it is printed in every record and travels in identities.
enum OperatorName {
  static func validate(_ name: String) throws(InputError) -> String {
    let trimmed = name.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else { throw InputError("operator name is empty") }
    guard trimmed.count <= 128,
      !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else { throw InputError("operator name \(Quoted(name)) is malformed") }
    return trimmed
  }
}
