import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A small tmpfs mounted for a test: it works only as root with the right to mount.
enum SmallDisk {
  static func mount(_ arguments: [String]) async -> Bool {
    guard let result = try? await runChildProcess(URL(fileURLWithPath: "/bin/mount"), arguments)
    else {
      return false
    }
    return result.status == 0
  }

  /// Blocks its thread for the few milliseconds `umount` of a tmpfs takes: a test unmounts in a
  /// `defer`, which cannot await, and the mount must be gone before the test's directory is.
  static func unmount(_ path: String) {
    _ = try? runChildProcessBlocking(URL(fileURLWithPath: "/bin/umount"), [path])
  }

  /// Whether a tmpfs can be mounted here.
  static let canMount: Bool = {
    guard geteuid() == 0, let directory = try? TemporaryDirectory("salvage-mount-probe") else {
      return false
    }
    defer { directory.remove() }
    // Asked once, before any test runs (a trait's condition cannot await): blocking is harmless.
    let probe = try? runChildProcessBlocking(
      URL(fileURLWithPath: "/bin/mount"),
      ["-t", "tmpfs", "-o", "size=64k", "tmpfs", directory.url.path])
    guard probe?.status == 0 else {
      return false
    }
    unmount(directory.url.path)
    return true
  }()

}

/// A journal whose disk is full is one clear line with exit 74, and keeps everything it held.
///
/// The disk is a small tmpfs mounted for the test, so it runs only where that works.
@Suite(.tags(.integration), .enabled(if: SmallDisk.canMount))
struct JournalOnAFullDiskTests {
  /// Fills the file system of `directory` with `filler` until `free` bytes are left.
  static func fill(_ filler: String, leaving free: Int) throws {
    var info = statvfs()
    #expect(statvfs((filler as NSString).deletingLastPathComponent, &info) == 0)
    let available = Int(info.f_bavail) * Int(info.f_frsize)
    try Data(count: max(0, available - free)).write(to: URL(fileURLWithPath: filler))
  }

  /// Free space left: none at all (SQLite cannot even map its `-shm`: an I/O error), and a few
  /// pages (the write-ahead log fills up: `SQLITE_FULL`).
  @Test(arguments: [0, 32 * 1024])
  func aNoteOnAFullDiskIsOneLineWithExit74AndTheJournalKeepsWhatItHeld(free: Int) async throws {
    // Given a journal with an incident and a note on a small disk
    let fixture = try CLIFixture()
    let disk = fixture.directory.path("disk")
    try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: false)
    #expect(await SmallDisk.mount(["-t", "tmpfs", "-o", "size=512k,mode=700", "tmpfs", disk]))
    defer { SmallDisk.unmount(disk) }
    let journal = disk + "/incident.sqlite"
    let environment = ["SALVAGE_JOURNAL": journal]
    try await fixture.openIncident("inc-1", "--journal", journal)
    #expect(try await fixture.salvage("note", "before", environment: environment).status == 0)
    let before = try await fixture.salvage("log", "--output", "jsonl", environment: environment)
      .stdout
    // When the disk fills up and another note is taken
    let filler = disk + "/filler"
    try Self.fill(filler, leaving: free)
    let note = String(repeating: "x", count: 3900)
    let result = try await fixture.salvage("note", note, environment: environment)
    // Then it is one line naming the full disk and the journal, with exit 74
    #expect(result.status == 74, "\(result.stderr)")
    #expect(
      result.stderr
        == "salvage: the disk holding the journal \(journal) is full, so this write was not recorded "
        + "(what was recorded before is kept); free space there, then run the command again\n")
    // And once there is room again, the journal holds what it held, verifies, and takes the note
    try FileManager.default.removeItem(atPath: filler)
    #expect(
      try await fixture.salvage("log", "--output", "jsonl", environment: environment).stdout
        == before)
    #expect(try await fixture.salvage("verify", environment: environment).status == 0)
    #expect(try await fixture.salvage("note", note, environment: environment).status == 0)
  }
}
