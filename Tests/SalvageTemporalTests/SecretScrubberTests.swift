import Foundation
import SalvageCore
import SalvageFakes
import Testing

@testable import SalvageTemporal

/// The one scrubber: every form of every secret, at any length, out of whatever the server says.
@Suite struct SecretScrubberTests {
  /// The encodings of `secret` a server or a proxy might echo, computed here independently of the
  /// scrubber: plain, base64 in both alphabets with and without padding, percent-encoded in both
  /// hex cases, and inside a JSON string as Foundation and Go write it.
  static func encodings(of secret: String) throws -> [String] {
    let base64 = Data(secret.utf8).base64EncodedString()
    let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(
      of: "/", with: "_")
    let percent = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret
    let json = String(
      String(decoding: try JSONEncoder().encode(secret), as: UTF8.self).dropFirst()
        .dropLast())
    let go = json.replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(
      of: "<", with: "\\u003c"
    )
    .replacingOccurrences(of: ">", with: "\\u003e")
    return [
      secret, base64, base64.replacingOccurrences(of: "=", with: ""), urlSafe,
      urlSafe.replacingOccurrences(of: "=", with: ""), percent, percent.lowercased(), json, go,
    ]
  }

  @Test(arguments: ["k", "a/", "&<=", "sk-4+/=", "s3cr+t/k=y \"x\" é&<b> ✓", "\u{1F511}key\\path"])
  func everyEncodingOfASecretOfAnyLengthIsMasked(secret: String) throws {
    // Given a message that echoes the secret in every encoding, each between words
    let encodings = try Self.encodings(of: secret)
    let message = encodings.map { "[\($0)]" }.joined(separator: " ")
    // When it is scrubbed
    let clean = SecretScrubber(secrets: [secret]).scrub(message)
    // Then every bracket holds only masks, and no encoding is left anywhere
    #expect(
      clean.split(separator: " ").allSatisfy {
        $0.replacingOccurrences(of: SecretScrubber.mask, with: "") == "[]"
      })
    for encoded in encodings { #expect(!clean.contains(encoded), "\(encoded) survived") }
  }

  @Test func aOneCharacterSecretIsMaskedEverywhereItAppearsEvenInsideWords() {
    // Given a one-letter secret (the documented cost: messages around it get harder to read)
    let scrubber = SecretScrubber(secrets: ["x"])
    // Then each x is masked, and salvage's own words are never passed through it
    #expect(scrubber.scrub("box x") == "bo<redacted> <redacted>")
  }

  @Test func aSecretInsideALongerBase64TextIsMaskedWhereverItStarts() {
    // Given a basic-auth header echoed back, the secret at each offset of a base64 group
    for user in ["u", "us", "use"] {
      let secret = "hunter2-Very-Secret"
      let header = "Basic " + Data("\(user):\(secret)".utf8).base64EncodedString()
      // When it is scrubbed
      let clean = SecretScrubber(secrets: [secret]).scrub("refused \(header)")
      // Then only the user's part and the characters base64 shares between the secret's first
      // or last two bytes and their neighbours are left of the token
      #expect(clean.contains(SecretScrubber.mask))
      let left = clean.dropFirst("refused Basic ".count).components(
        separatedBy: SecretScrubber.mask
      ).joined()
      #expect(left.count <= 12, "\(user): \(clean)")
    }
  }

  @Test func aPEMKeyIsMaskedByItsBodyAndEachLineOfIt() {
    // Given a key in PEM and a message quoting one line of it, and another quoting its body whole
    let key =
      "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
    let scrubber = SecretScrubber(secrets: [key])
    // Then neither shows
    #expect(scrubber.scrub("bad line hkiG9w0BAQEFAASC here") == "bad line <redacted> here")
    #expect(scrubber.scrub("body MIIEvQIBADANBgkqhkiG9w0BAQEFAASC") == "body <redacted>")
  }

  @Test func aKeyReadFromAFileIsASecretOfTheEndpoint() throws {
    // Given a client key given by path
    let directory = try TemporaryDirectory("salvage-scrub")
    defer { directory.remove() }
    let path = directory.path("client.key")
    let pem = "-----BEGIN PRIVATE KEY-----\nFILEKEYBODY+/1\n-----END PRIVATE KEY-----\n"
    try Data(pem.utf8).write(to: URL(fileURLWithPath: path))
    try Data("CERT".utf8).write(to: URL(fileURLWithPath: directory.path("client.pem")))
    var flags = ConnectionFlags()
    flags.address = "127.0.0.1:7233"
    flags.tlsCertPath = directory.path("client.pem")
    flags.tlsKeyPath = path
    let resolved = try ConnectionResolver(environment: ["HOME": "/nonexistent"]).resolve(flags)
    // When it becomes the endpoint
    let endpoint = GRPCEndpoint(resolved, credentials: try resolved.tls?.loadCredentials())
    // Then the file's contents are scrubbed like inline key data
    #expect(endpoint.secrets.contains(pem))
    #expect(
      SecretScrubber(secrets: endpoint.secrets).scrub("saw FILEKEYBODY+/1") == "saw <redacted>")
  }
}
