import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

#if canImport(Glibc)
  import Glibc
#endif
// With --static-swift-stdlib (tools/install), `stat()` below is found through CoreFoundation's
// headers, and MemberImportVisibility then wants the module imported by name.
#if canImport(CoreFoundation)
  import CoreFoundation
#endif

extension SalvageCommand {
  struct Export: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Write one incident as a portable, hash-chained, signed JSON Lines file.",
      discussion: """
        The export is signed with the journal's Ed25519 key (made 0600 on first use, its public half \
        in KEY.pub to give to the importer for 'import --trust-key'). A plain export is a read-only \
        copy wherever it is imported; only the handoff's export (--handoff) continues the incident.
        """)

    @OptionGroup var journal: JournalOptions

    @OptionGroup var file: OutFileOptions

    @OptionGroup var signing: SigningKeyOptions

    @Flag(
      help:
        "Write again the export 'handoff --export' wrote (the incident up to its seal): the only export that continues it elsewhere."
    )
    var handoff = false

    @OptionGroup var outputOptions: OutputOptions<ExportOutput>

    /// What `--output` prints.
    enum ExportOutput: OutputHelp {
      static let help: ArgumentHelp =
        "text or json: with --out, a JSON note of what was written (the export itself is JSON Lines)."
    }

    func run() async throws {
      let incident = try journal.openIncident()
      let key = try signing.key(journal: incident.store.path)
      let text =
        handoff
        ? try incident.store.handoffExport(incident.id, key: key)
        : try incident.store.export(incident.id).signedJSONLines(purpose: .copy, key: key)
      let json = output == .json
      if let out = try file.write(
        text, of: incident.id, format: "jsonl", json: json, journal: incident.store.path), !json
      {
        StandardStreams.error("Exported \(incident.id) to \(out).\n")
      }
    }
  }

  struct Import: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Verify an exported incident and add it to this journal (created if needed).",
      discussion: """
        A file that does not verify is refused whole (exit 2); nothing is imported. A file written by \
        'handoff --export' continues the incident here; a plain export is a read-only copy that \
        'run' refuses, unless --adopt (recorded), also accepted for a copy imported before. The \
        signature proves the file is whole as its key signed it; that the key is the sender's only \
        with --trust-key.
        """)

    @OptionGroup var journal: JournalOptions

    @Argument(help: "The export file.")
    var file: String

    @Flag(
      help:
        "Drive a plain export's incident from this journal (recorded): only once the original no longer does."
    )
    var adopt = false

    @Option(
      name: .customLong("trust-key"),
      help: ArgumentHelp(
        "Take the file only if this public key (the sender's KEY.pub) signed it; the signer is recorded either way.",
        valueName: "FILE"))
    var trustKey: String?

    @OptionGroup var outputOptions: OutputOptions<TextOrJSON>

    func run() async throws {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw InputError("cannot read \(file)")
      }
      let export: IncidentExport
      do {
        export = try IncidentExport.read(String(decoding: data, as: UTF8.self))
      } catch {
        throw CommandError(
          status: .journalDoesNotVerify, description: "\(file): \(error.description)")
      }
      let environment = LiveEnvironment.variables
      let actor = try journal.operatorName(environment)
      let trusted = try trustKey.map { try Self.trust(export, key: $0, file: file) }
      let mode = try Self.mode(of: export, adopt: adopt)
      let imported = IncidentEvent.imported(
        IncidentImported(
          mode: mode, file: file, lastHash: export.events.last?.hashHex ?? "",
          events: export.events.count, signer: export.signature?.publicKey,
          trustedSigner: trusted))
      let store: SQLiteEventJournal
      var adoptedACopy = false
      do {
        store = try Self.store(journal.journalPath(environment)) { store in
          adoptedACopy = false
          if adopt, mode == .adopted, let state = try store.state(of: export.incident) {
            try Self.adopt(state, export, imported, store: store, actor: actor)
            adoptedACopy = true
          } else {
            let record = PendingEvent(id: LiveEnvironment.eventID(), event: imported)
            try store.importIncident(export, then: [record], actor: actor)
          }
        }
      } catch let error as ImportError {
        throw CommandError(status: .incident, description: error.description)
      }
      if output == .text, !adoptedACopy {
        say("Imported \(export.incident): \(export.events.count) events, verified.")
      }
      if output == .json { return try Self.printJSON(mode, export, file: file, store: store) }
      if let signer = export.signature?.publicKey {
        say(
          trusted == true
            ? "Signed by \(signer), the trusted key."
            : "Signed by \(signer): the file is whole as that key signed it; pin the sender's key "
              + "with --trust-key to know it is theirs.")
      } else {
        say("Not signed (written by an older salvage): imported as a read-only copy at most.")
      }
      switch mode {
      case .copy:
        say("It is a read-only copy: 'salvage import --adopt \(file)' to drive it from here.")
      case .handedOver:
        say("It was handed over to this journal: 'salvage run' drives it from here.")
      case .adopted: say("Adopted: 'salvage run' drives it from this journal now.")
      }
    }

    /// The journal at `path` after `body` imported into it. An existing journal takes the import in
    /// one transaction; a new one is made whole under a private name and linked into place, so a
    /// failed import removes only the file it made (``SQLiteEventJournal/createdWhole(at:now:fill:)``).
    static func store(_ path: String, _ body: (SQLiteEventJournal) throws -> Void) throws
      -> SQLiteEventJournal
    {
      var info = stat()
      if lstat(path, &info) != 0, errno == ENOENT,
        let created = try SQLiteEventJournal.createdWhole(
          at: path, now: LiveEnvironment.now, fill: body)
      {
        return created
      }
      // There was a journal, or one appeared at the path while the new one was made.
      let store = try SQLiteEventJournal(path: path, create: true, now: LiveEnvironment.now)
      try body(store)
      return store
    }

    /// `import --output json`: the incident as it stands here, and the import event just recorded.
    static func printJSON(
      _ mode: IncidentImported.Mode, _ export: IncidentExport, file: String,
      store: SQLiteEventJournal
    ) throws {
      let recorded = try store.events(of: export.incident).suffix(1).filter { recorded in
        if case .imported = recorded.event { return true }
        return false
      }
      var view = RecordedView(
        export.incident, phase: try store.state(of: export.incident)?.phase, recorded: recorded)
      view.mode = mode.rawValue
      view.events = export.events.count
      view.file = file
      say(try JSONOutput.render(view))
    }

    /// What the file makes of the incident here: handed over when it is a handoff's signed export
    /// and its events end sealed; else a copy, or adopted.
    static func mode(of export: IncidentExport, adopt: Bool) throws -> IncidentImported.Mode {
      var state = IncidentState(incident: export.incident)
      for event in export.events { state.apply(try event.recorded()) }
      if case .sealed = state.custody, export.signature?.purpose == .handoff { return .handedOver }
      return adopt ? .adopted : .copy
    }

    /// Refuses (exit 2) a file the key in `keyFile` did not sign; `true` when it did.
    static func trust(_ export: IncidentExport, key keyFile: String, file: String) throws -> Bool {
      guard let text = FileManager.default.contents(atPath: keyFile),
        let trusted = ExportSigningKey.publicKey(in: String(decoding: text, as: UTF8.self))
      else {
        throw InputError("--trust-key \(keyFile) holds no public key (ed25519:BASE64, a KEY.pub)")
      }
      guard let signer = export.signature?.publicKey else {
        throw CommandError(
          status: .journalDoesNotVerify,
          description:
            "\(file): the file is not signed, and --trust-key asks for \(trusted)'s signature; "
            + "nothing was imported")
      }
      guard signer == trusted else {
        throw CommandError(
          status: .journalDoesNotVerify,
          description:
            "\(file): signed by \(signer), not by the key in \(keyFile) (\(trusted)); nothing was imported"
        )
      }
      return true
    }

    /// Adopts a copy imported before from the same file (or an earlier cut of the same incident).
    static func adopt(
      _ state: IncidentState, _ export: IncidentExport, _ event: IncidentEvent,
      store: SQLiteEventJournal,
      actor: String
    ) throws {
      guard case .copy = state.custody else {
        throw CommandError.incident(
          "incident \(export.incident) already exists in \(store.path) and is not a copy")
      }
      let here = try store.storedEvents(of: export.incident)
      guard let last = export.events.last, export.events.count <= here.count,
        here[export.events.count - 1].hashHex == last.hashHex
      else {
        throw CommandError.incident(
          "\(export.incident) here is not a copy of this file's events; nothing was adopted")
      }
      try IncidentOwner.writer(store, export.incident, actor: actor).update { state in
        guard case .copy = state?.custody else { return [] }
        return [event]
      }
    }
  }
}
