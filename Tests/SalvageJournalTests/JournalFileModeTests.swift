import Foundation
import SalvageCore
import SalvageFakes
import SalvageJournal
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The journal and its `-wal` and `-shm` are private to their owner, and an unsafe one is refused.
@Suite struct JournalFileModeTests {
  static func mode(_ path: String) -> Int {
    var info = stat()
    guard lstat(path, &info) == 0 else { return -1 }
    return Int(info.st_mode & 0o777)
  }

  @Test func theJournalAndItsWALAndSHMAre0600EvenUnderAnOpenUmask() throws {
    // Given a process whose umask lets everyone read new files
    let fixture = try JournalFixture(onDisk: true)
    let previous = umask(0)
    defer { umask(previous) }
    // When a journal is created and written, its connection still open
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    // Then the file, its -wal and its -shm are all 0600 (SQLite gives them the main file's bits)
    for path in [fixture.path, fixture.path + "-wal", fixture.path + "-shm"] {
      #expect(Self.mode(path) == 0o600, "\(path)")
    }
    _ = journal
  }

  @Test func aJournalCreatedUnderAUmaskThatDeniesTheOwnerIsStill0600() throws {
    // Given a umask that would leave the owner only reading
    let fixture = try JournalFixture(onDisk: true)
    let previous = umask(0o277)
    defer { umask(previous) }
    // When a journal is created, then Then it is 0600 and usable
    let journal = try fixture.open()
    try fixture.record([EventFactory.opened], to: journal)
    #expect(Self.mode(fixture.path) == 0o600)
  }

  @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o606, 0o700, 0o610])
  func anExistingJournalOthersCanUseIsRefusedWithTheChmodThatFixesIt(mode: Int) throws {
    // Given a journal whose group or others have some access
    let fixture = try JournalFixture(onDisk: true)
    do { try fixture.record([EventFactory.opened], to: try fixture.open()) }
    #expect(chmod(fixture.path, mode_t(mode)) == 0)
    // When it is opened
    let expected: JournalError? =
      mode & 0o077 == 0
      ? nil
      : .unsafe(
        path: fixture.path,
        reason:
          "has mode \(String(mode, radix: 8)), so others than its owner may read or change it",
        fix: "chmod 600 \(fixture.path)")
    // Then it is refused naming the mode and the fix (a mode only its owner has is accepted)
    if let expected {
      #expect(throws: expected) { _ = try fixture.open(create: false) }
      #expect(
        expected.description
          == "journal file \(fixture.path) has mode \(String(mode, radix: 8)), so others than its owner may read or "
          + "change it; fix it with: chmod 600 \(fixture.path)")
    } else {
      #expect(throws: Never.self) { _ = try fixture.open(create: false) }
    }
    // And the journal is not changed
    #expect(Self.mode(fixture.path) == mode)
  }

  @Test(arguments: ["-wal", "-shm"])
  func aWALOrSHMOthersCanReadIsRefused(suffix: String) throws {
    // Given a private journal with a world-readable sidecar next to it
    let fixture = try JournalFixture(onDisk: true)
    do { try fixture.record([EventFactory.opened], to: try fixture.open()) }
    let sidecar = fixture.path + suffix
    #expect(
      FileManager.default.createFile(
        atPath: sidecar, contents: Data(), attributes: [.posixPermissions: 0o644]))
    // When it is opened, then it is refused naming the sidecar
    #expect(
      throws: JournalError.unsafe(
        path: sidecar, reason: "has mode 644, so others than its owner may read or change it",
        fix: "chmod 600 \(sidecar)")
    ) { _ = try fixture.open(create: false) }
  }

  @Test(arguments: [false, true])
  func aSymbolicLinkToAJournalIsRefusedNamingTheRealFile(create: Bool) throws {
    // Given a link to a private journal
    let fixture = try JournalFixture(onDisk: true)
    do { try fixture.record([EventFactory.opened], to: try fixture.open()) }
    let link = fixture.directory.path("link.sqlite")
    #expect(symlink(fixture.path, link) == 0)
    let target = try #require(
      realpath(fixture.path, nil).map { pointer in
        defer { free(pointer) }
        return String(cString: pointer)
      })
    // When the link is opened (or created), then it is refused with the option that names the file
    #expect(
      throws: JournalError.unsafe(
        path: link, reason: "is a symbolic link, which salvage does not follow",
        fix: "--journal \(target)")
    ) { _ = try SQLiteEventJournal(path: link, create: create, now: fixture.clock.now) }
  }

  @Test func aDanglingLinkIsNotFollowedToCreateAFile() throws {
    // Given a link to a file that does not exist
    let fixture = try JournalFixture(onDisk: true)
    let link = fixture.directory.path("link.sqlite")
    let target = fixture.directory.path("elsewhere.sqlite")
    #expect(symlink(target, link) == 0)
    // When a journal is created at the link
    #expect(throws: JournalError.self) {
      _ = try SQLiteEventJournal(path: link, create: true, now: fixture.clock.now)
    }
    // Then nothing was created where it points
    #expect(!FileManager.default.fileExists(atPath: target))
  }

  @Test(.enabled(if: geteuid() == 0, "only root can give a file to another user"))
  func aJournalOwnedBySomeoneElseIsRefusedWithTheChownThatFixesIt() throws {
    // Given a private journal that belongs to another user
    let fixture = try JournalFixture(onDisk: true)
    do { try fixture.record([EventFactory.opened], to: try fixture.open()) }
    #expect(chown(fixture.path, 4242, gid_t.max) == 0)
    // When it is opened, then it is refused naming the owner and the fix
    #expect(
      throws: JournalError.unsafe(
        path: fixture.path, reason: "is owned by user id 4242, not by this user (0)",
        fix: "sudo chown 0 \(fixture.path)")
    ) { _ = try fixture.open(create: false) }
  }
}
