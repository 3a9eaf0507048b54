import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

/// What the secrets tests share: a profile file holding secrets, and a search of every output
/// and of the journal's bytes for any encoding of any secret.
enum SecretSearch {
  /// Writes a `temporal.toml` whose default profile holds an API key, codec auth and OAuth values;
  /// returns its path.
  static func profile(
    in fixture: CLIFixture, apiKey: String, codecAuth: String, clientSecret: String,
    accessToken: String,
    refreshToken: String
  ) throws -> String {
    let path = fixture.directory.path("temporal.toml")
    try Data(
      """
      [profile.default]
      api_key = "\(apiKey)"
      [profile.default.codec]
      endpoint = "https://codec.example"
      auth = "\(codecAuth)"
      [profile.default.oauth]
      client_secret = "\(clientSecret)"
      access_token = "\(accessToken)"
      refresh_token = "\(refreshToken)"
      """.utf8
    ).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// `extra` plus `handoff`, `export`, every timeline format, and the journal files' bytes.
  static func outputs(of fixture: CLIFixture, with extra: [String: String]) async throws -> [String:
    String]
  {
    var outputs = extra
    outputs["handoff"] = try await fixture.salvage("handoff", "--to", "bob").stdout
    outputs["export"] = try await fixture.salvage("export").stdout
    for format in ["markdown", "json", "csv", "html"] {
      outputs["timeline \(format)"] = try await fixture.salvage("timeline", "--format", format)
        .stdout
    }
    for file in try FileManager.default.contentsOfDirectory(atPath: fixture.directory.url.path)
    where file.hasPrefix("incident.sqlite") {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.directory.path(file)))
      outputs["journal file \(file)"] = String(decoding: bytes, as: UTF8.self)
    }
    return outputs
  }

  /// Records an issue for every output holding any encoding the echoing server uses of any secret.
  static func expectNone(of secrets: [String], in outputs: [String: String]) {
    for secret in secrets {
      for encoded in EchoingTemporalServer.encodings(of: secret) {
        for (name, text) in outputs {
          #expect(
            !text.contains(encoded),
            "\(name) holds an encoding of a \(secret.utf8.count)-byte secret")
        }
      }
    }
  }
}
