import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

#if canImport(Glibc)
  import Glibc
#endif

extension SalvageCommand {
  struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write one incident as a portable, hash-chained JSON Lines file.")

    @OptionGroup var journal: JournalOptions

    @Option(help: "The file to write, mode 0600, replaced atomically (default: standard output).")
    var out: String?

    func run() async throws {
      let store = try journal.openJournal(LiveEnvironment.variables)
      let id = try journal.resolveIncident(in: store)
      let text = try store.export(id).jsonLines()
      if let out {
        try PrivateFile.write(Data(text.utf8), to: out)
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
      let path = journal.journalPath(LiveEnvironment.variables)
      var info = stat()
      let isNew = lstat(path, &info) != 0 && errno == ENOENT
      do {
        let store = try journal.openJournal(LiveEnvironment.variables, create: true)
        try store.importIncident(export)
      } catch {
        // A journal this import created holds nothing of value: leave no file behind.
        if isNew { for file in [path, path + "-wal", path + "-shm"] { unlink(file) } }
        if let error = error as? ImportError {
          throw CommandError(status: .incident, description: error.description)
        }
        throw error
      }
      say("Imported \(export.incident): \(export.events.count) events, verified.")
    }
  }
}
