import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import SalvageTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Everything salvage writes is 0600, whole files are replaced atomically, and a journal others
/// can reach is refused with the command that fixes it.
@Suite(.tags(.integration)) struct FileModeCLITests {
  static func mode(_ path: String) -> Int {
    var info = stat()
    guard lstat(path, &info) == 0 else { return -1 }
    return Int(info.st_mode & 0o777)
  }

  @Test func openExportAndTimelineWriteFilesOnlyTheirOwnerCanRead() async throws {
    // Given a journal opened by salvage, and a world-readable file already at each output path
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    #expect(Self.mode(fixture.journal) == 0o600)
    let export = fixture.directory.path("inc-1.jsonl")
    let timeline = fixture.directory.path("timeline.md")
    for path in [export, timeline] {
      #expect(
        FileManager.default.createFile(
          atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
    }
    // When the incident is exported and its timeline written over them
    #expect(try await fixture.salvage("export", "--out", export).status == 0)
    #expect(try await fixture.salvage("timeline", "--out", timeline).status == 0)
    // Then both are new 0600 files with the full content, and no temporary file is left; the
    // signing key the export made beside the journal, and its public half, are 0600 too
    #expect(Self.mode(export) == 0o600)
    #expect(Self.mode(timeline) == 0o600)
    #expect(Self.mode(fixture.journal + ".key") == 0o600)
    #expect(Self.mode(fixture.journal + ".key.pub") == 0o600)
    #expect(try String(contentsOfFile: export, encoding: .utf8).hasPrefix("{\"events\":1,"))
    #expect(try String(contentsOfFile: timeline, encoding: .utf8).contains("inc-1"))
    let names = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path)
    #expect(
      names.sorted() == [
        "inc-1.jsonl", "incident.sqlite", "incident.sqlite.key", "incident.sqlite.key.pub",
        "timeline.md",
      ])
  }

  @Test func anOutputPathThatIsALinkIsReplacedNotFollowed() async throws {
    // Given a link at the output path, pointing to a file that must not change
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let victim = fixture.directory.path("victim.txt")
    try Data("keep".utf8).write(to: URL(fileURLWithPath: victim))
    let link = fixture.directory.path("timeline.md")
    #expect(symlink(victim, link) == 0)
    // When the timeline is written to the link
    #expect(try await fixture.salvage("timeline", "--out", link).status == 0)
    // Then the link became a private regular file, and its target is untouched
    var info = stat()
    #expect(lstat(link, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG)
    #expect(Self.mode(link) == 0o600)
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep")
  }

  @Test func anOutputPathThatIsAPipeOrADeviceIsWrittenToNotReplaced() async throws {
    // Given a named pipe with a reader at the output path (as /dev/null or /dev/stdout is a
    // device: replacing one with a regular file breaks every program on the machine that uses it)
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let pipe = fixture.directory.path("out.fifo")
    #expect(mkfifo(pipe, 0o600) == 0)
    let reader = open(pipe, O_RDONLY | O_NONBLOCK)
    #expect(reader >= 0)
    defer { close(reader) }
    // When the timeline is written to it
    let written = try await fixture.salvage("timeline", "--out", pipe)
    // Then it exits 0, the pipe is still a pipe, and its reader got the timeline
    #expect(written.status == 0, "\(written.stderr)")
    var info = stat()
    #expect(lstat(pipe, &info) == 0)
    #expect(info.st_mode & S_IFMT == S_IFIFO)
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    let count = read(reader, &buffer, buffer.count)
    #expect(count > 0)
    #expect(String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).contains("inc-1"))
    // And no temporary file is left beside it
    let left = try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path)
    #expect(!left.contains { $0.contains(".salvage-") }, "\(left)")
  }

  @Test func outToDevStdoutRedirectedToAFileWritesThatFileAndLeavesDevStdoutAlone() async throws {
    // Given an incident, and salvage's standard output redirected to a file (`> out.md`)
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let out = fixture.directory.path("out.md")
    #expect(FileManager.default.createFile(atPath: out, contents: nil))
    var before = stat()
    #expect(lstat("/dev/stdout", &before) == 0)
    defer {
      // Should it ever be replaced again (as root), put the machine's link back.
      var after = stat()
      if lstat("/dev/stdout", &after) == 0, after.st_mode & S_IFMT == S_IFREG {
        unlink("/dev/stdout")
        symlink("/proc/self/fd/1", "/dev/stdout")
      }
    }
    // When the timeline is written with --out /dev/stdout
    let process = Process()
    process.executableURL = SalvageProcess.executable
    process.arguments = ["timeline", "--out", "/dev/stdout"]
    process.environment = fixture.environment
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    process.standardError = FileHandle.nullDevice
    try process.run()
    await process.exited()
    // Then it exits 0, the file holds the timeline, and /dev/stdout is still what it was
    #expect(process.terminationStatus == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8).contains("inc-1"))
    var after = stat()
    #expect(lstat("/dev/stdout", &after) == 0)
    #expect(after.st_mode & S_IFMT == before.st_mode & S_IFMT)
  }

  @Test func anOutputInAMissingDirectoryIsOneLineAndExit64() async throws {
    // Given an output path whose directory does not exist
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let out = fixture.directory.path("missing/timeline.md")
    // When the timeline is written there, then it says so in one line
    let result = try await fixture.salvage("timeline", "--out", out)
    #expect(result.status == 64)
    #expect(
      result.stderr
        == "salvage: cannot write \(out): No such file or directory (see 'salvage help')\n")
  }

  @Test(arguments: [0o644, 0o640, 0o660])
  func aJournalOthersCanReadIsRefusedWithExit4AndTheChmod(mode: Int) async throws {
    // Given a journal its group or others can read
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    #expect(chmod(fixture.journal, mode_t(mode)) == 0)
    // When any command uses it
    let result = try await fixture.salvage("status")
    // Then it is refused with exit 4 and the one line that says how to fix it
    #expect(result.status == 4)
    #expect(
      result.stderr
        == "salvage: journal file \(fixture.journal) has mode \(String(mode, radix: 8)), so others than its owner may "
        + "read or change it; fix it with: chmod 600 \(fixture.journal)\n")
    // And after the fix it works again
    #expect(chmod(fixture.journal, 0o600) == 0)
    #expect(try await fixture.salvage("status").status == 0)
  }

  @Test func aJournalThatIsALinkIsRefusedWithExit4NamingTheRealFile() async throws {
    // Given a link to a good journal
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let link = fixture.directory.path("link.sqlite")
    #expect(symlink(fixture.journal, link) == 0)
    let real = try #require(
      realpath(fixture.journal, nil).map { pointer in
        defer { free(pointer) }
        return String(cString: pointer)
      })
    // When a command is given the link, then it is refused with the option naming the file
    let result = try await fixture.salvage("status", "--journal", link)
    #expect(result.status == 4)
    #expect(
      result.stderr
        == "salvage: journal file \(link) is a symbolic link, which salvage does not follow; fix it with: "
        + "--journal \(real)\n")
  }

  @Test func aFailedImportIntoANewPathLeavesNoJournal() async throws {
    // Given a file that is not an export
    let fixture = try CLIFixture()
    let file = fixture.directory.path("notes.jsonl")
    try Data("{\"hello\":1}\n".utf8).write(to: URL(fileURLWithPath: file))
    let target = fixture.directory.path("new.sqlite")
    // When it is imported into a journal that does not exist yet
    let result = try await fixture.salvage("import", file, "--journal", target)
    // Then it is refused, and no journal (nor -wal, nor -shm) was created
    #expect(result.status == 2)
    for path in [target, target + "-wal", target + "-shm"] {
      #expect(!FileManager.default.fileExists(atPath: path), "\(path)")
    }
  }

  @Test func anImportThatFailsAfterCreatingTheJournalRemovesIt() async throws {
    // Given an export that verifies but repeats an event id (the journal refuses it on insert)
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "first")
    let good = fixture.directory.path("good.jsonl")
    #expect(try await fixture.salvage("export", "--out", good).status == 0)
    let export = try IncidentExport.read(try String(contentsOfFile: good, encoding: .utf8))
    var previous = EventHash.genesis
    let events = export.events.map { event in
      let repeated = StoredEvent(
        position: event.position, eventID: export.events[0].eventID, incident: event.incident,
        version: event.version, type: event.type, schemaVersion: event.schemaVersion,
        payload: event.payload,
        recordedAt: event.recordedAt, actor: event.actor, hash: Data())
      let hashed = repeated.with(hash: EventHash.chain(previous: previous, repeated))
      previous = hashed.hash
      return hashed
    }
    let bad = fixture.directory.path("bad.jsonl")
    let text = try IncidentExport(incident: export.incident, events: events, executionSets: [:])
      .jsonLines()
    try Data(text.utf8).write(to: URL(fileURLWithPath: bad))
    let target = fixture.directory.path("new.sqlite")
    // When it is imported into a new journal
    let result = try await fixture.salvage("import", bad, "--journal", target)
    // Then it fails in one line, and the journal it created is gone with its -wal and -shm
    #expect(result.status == 4, "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1)
    for path in [target, target + "-wal", target + "-shm"] {
      #expect(!FileManager.default.fileExists(atPath: path), "\(path)")
    }
  }
}
