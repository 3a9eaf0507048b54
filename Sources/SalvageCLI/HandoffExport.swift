import SalvageCore
import SalvageJournal

extension SQLiteEventJournal {
  /// The export `handoff --export` wrote: the incident up to the event that sealed it here,
  /// signed for a handoff. Written again, it is the same but for its signature's randomness, if any.
  func handoffExport(_ id: IncidentID, key: ExportSigningKey) throws -> String {
    guard case .sealed = try state(of: id)?.custody,
      let seal = try storedEvents(of: id).last(where: { $0.type == HandedOff.typeName })
    else {
      throw CommandError.incident(
        "incident \(id) was not handed off by export here: 'salvage export' writes a read-only copy"
      )
    }
    return try export(id).cut(after: seal.eventID).signedJSONLines(purpose: .handoff, key: key)
  }
}
