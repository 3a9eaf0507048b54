import Foundation
import GRDB
import SalvageFakes
import SalvageJournal
import Testing

@Suite(.tags(.integration)) struct VerifyCommandTests {
  @Test func verifyExitsTwoNamingTheFirstBadPositionOfATamperedCopy() async throws {
    // Given a journal whose third event is a distinctive note
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    try await fixture.salvage("note", "first")
    try await fixture.salvage("note", "TAMPERTAMPER")
    try await fixture.salvage("note", "last")
    // When a byte of that note is flipped in a copy
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture.journal)))
    let marker = Array("TAMPERTAMPER".utf8)
    for start in 0...(bytes.count - marker.count)
    where Array(bytes[start..<start + marker.count]) == marker {
      bytes[start + 3] ^= 0x20  // 'P' becomes 'p'
    }
    let copy = fixture.directory.path("copy.sqlite")
    #expect(
      FileManager.default.createFile(
        atPath: copy, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
    // Then verify on the copy fails with exit 2 and names position 3
    let result = try await fixture.salvage("verify", "--journal", copy)
    #expect(result.status == 2)
    #expect(
      result.stderr.hasPrefix(
        "salvage: journal \(copy) does not verify: position 3: hash chain broken"))
    // And the original still verifies
    #expect(try await fixture.salvage("verify").status == 0)
  }

  @Test func aJournalFromANewerSalvageIsRefusedNamingBothVersions() async throws {
    let fixture = try CLIFixture()
    try await fixture.openIncident()
    let newer = Schema.currentVersion + 5
    try await DatabaseQueue(path: fixture.journal).writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA user_version = \(newer)")
    }
    let result = try await fixture.salvage("status")
    #expect(result.status == 4)
    #expect(
      result.stderr.contains(
        "has schema version \(newer), but this salvage knows up to \(Schema.currentVersion)"))
  }
}
