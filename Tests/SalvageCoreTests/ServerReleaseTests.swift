import SalvageCore
import Testing

/// The server release a feature is gated on, as `GetSystemInfo` reports it.
@Suite struct ServerReleaseTests {
  @Test("A release reads its leading major, minor and patch, with or without a v and a suffix")
  func aReleaseReadsItsLeadingNumbers() throws {
    let cloud = try #require(ServerRelease("v1.32.0-158.0"))
    let oss = try #require(ServerRelease("1.31.2"))
    #expect(cloud.description == "1.32.0")
    #expect(oss.description == "1.31.2")
    #expect(oss < cloud)
    #expect(try #require(ServerRelease("1.32.0")) >= cloud)
  }

  @Test("A text with no release in it reads as none")
  func aTextWithNoReleaseReadsAsNone() {
    #expect(ServerRelease("unknown") == nil)
    #expect(ServerRelease("1.32") == nil)
    #expect(ServerRelease("") == nil)
  }
}
