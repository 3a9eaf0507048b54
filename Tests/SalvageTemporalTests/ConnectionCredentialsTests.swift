import Foundation
import SalvageFakes
import SalvageTemporal
import Testing

/// Reading the TLS files a connection names: the one impure step, kept out of the resolver.
@Suite struct ConnectionCredentialsTests {
  @Test func pathsAreReadAndDataIsUsedAsItIs() throws {
    // Given a certificate and key by path and a CA as data
    let settings = TLSSettings(
      clientCertificate: .path("/tls/cert.pem"), clientKey: .path("/tls/key.pem"),
      serverCA: .data("CA PEM"))
    let files = ["/tls/cert.pem": "CERT PEM", "/tls/key.pem": "KEY PEM"]
    // When loaded
    let credentials = try settings.loadCredentials { path in Array(files[path]!.utf8) }
    // Then each item holds its bytes, and the description shows only sizes
    #expect(credentials.clientCertificate == Array("CERT PEM".utf8))
    #expect(credentials.clientKey == Array("KEY PEM".utf8))
    #expect(credentials.serverCA == Array("CA PEM".utf8))
    #expect(
      "\(credentials)" == "client cert 8 bytes, client key <redacted, 7 bytes>, server ca 6 bytes")
  }

  @Test func anUnreadableFileIsAnErrorNamingTheItemAndThePath() {
    let settings = TLSSettings(
      clientCertificate: .path("/tls/cert.pem"), clientKey: .path("/tls/key.pem"))
    let expected = ConnectionConfigurationError.unreadableCredential(
      item: "client key", path: "/tls/key.pem", reason: "Permission denied")
    #expect(throws: expected) {
      try settings.loadCredentials { path in
        if path == "/tls/key.pem" { throw LocalFile.Failure("Permission denied") }
        return []
      }
    }
    #expect(
      expected.description == "cannot read the TLS client key file /tls/key.pem: Permission denied")
  }
}

/// The same against the real file system.
@Suite(.tags(.integration)) struct ConnectionLocalFileTests {
  @Test func realFilesAreReadAndAMissingOneIsNamed() throws {
    try withTemporaryDirectory { directory in
      // Given a real CA file and a key path that does not exist
      try Data("CA PEM\n".utf8).write(to: URL(fileURLWithPath: directory.path("ca.pem")))
      let present = TLSSettings(serverCA: .path(directory.path("ca.pem")))
      let missing = TLSSettings(
        clientCertificate: .path(directory.path("c.pem")), clientKey: .path(directory.path("k.pem"))
      )
      // Then the file is read, and the missing one is named with the OS's reason
      #expect(try present.loadCredentials().serverCA == Array("CA PEM\n".utf8))
      #expect(
        throws: ConnectionConfigurationError.unreadableCredential(
          item: "client certificate", path: directory.path("c.pem"),
          reason: "No such file or directory")
      ) {
        try missing.loadCredentials()
      }
    }
  }

  @Test func theDefaultConfigReaderSkipsAMissingFileButNotADirectory() throws {
    try withTemporaryDirectory { directory in
      try Data("[profile.default]\nnamespace = \"disk\"\n".utf8).write(
        to: URL(fileURLWithPath: directory.path("t.toml")))
      #expect(try LocalFile.textIfPresent(of: directory.path("absent.toml")) == nil)
      #expect(try LocalFile.textIfPresent(of: directory.path("t.toml"))?.contains("disk") == true)
      // A directory where the file should be is an error, as in Go's os.ReadFile
      let resolver = ConnectionResolver(environment: ["TEMPORAL_CONFIG_FILE": directory.url.path])
      let expected = ConnectionConfigurationError.unreadableConfigFile(
        file: directory.url.path, reason: "Is a directory")
      #expect(throws: expected) { try resolver.resolve(ConnectionFlags()) }
      let onDisk = ConnectionResolver(environment: [
        "TEMPORAL_CONFIG_FILE": directory.path("t.toml")
      ])
      #expect(try onDisk.resolve(ConnectionFlags()).namespace == "disk")
    }
  }
}
