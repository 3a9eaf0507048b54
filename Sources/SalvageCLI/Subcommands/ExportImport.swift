import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write one incident as a portable, hash-chained JSON Lines file.")

    @OptionGroup var journal: JournalOptions

    @Option(help: "The file to write (default: standard output).")
    var out: String?

    func run() async throws {
      let store = try journal.openJournal(LiveEnvironment.variables)
      let id = try journal.resolveIncident(in: store)
      let text = try store.export(id).jsonLines()
      if let out {
        guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw InputError("cannot write \(out)") }
        FileHandle.standardError.write(Data("Exported \(id) to \(out).\n".utf8))
      } else {
        FileHandle.standardOutput.write(Data(text.utf8))
      }
    }
  }

  struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Verify an exported incident and add it to this journal (created if needed).",
      discussion: "A file that does not verify is refused whole (exit 2); nothing is imported.")

    @OptionGroup var journal: JournalOptions

    @Argument(help: "The export file.")
    var file: String

    func run() async throws {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw InputError("cannot read \(file)")
      }
      let export: IncidentExport
      do {
        export = try IncidentExport.read(String(decoding: data, as: UTF8.self))
      } catch {
        throw CommandError(status: .journalDoesNotVerify, description: "\(file): \(error.description)")
      }
      let store = try journal.openJournal(LiveEnvironment.variables, create: true)
      do {
        try store.importIncident(export)
      } catch let error as ImportError {
        throw CommandError(status: .incident, description: error.description)
      }
      say("Imported \(export.incident): \(export.events.count) events, verified.")
    }
  }
}
