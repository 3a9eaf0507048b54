import ArgumentParser
import SalvageTemporal

/// What this build of salvage is: its release, the commit it was built from, and the Temporal API
/// its protos come from. `salvage --version` prints the same line as `salvage version`.
enum SalvageVersion {
  /// salvage's own release, by semantic versioning; raised when a release is cut.
  static let release = "0.1.0"

  static var view: View {
    View(release: release, commit: BuildCommit.hash, temporalAPI: TemporalAPIVersion.release)
  }

  /// `salvage 0.1.0 (commit 1a2b3c4d5e6f, Temporal API v1.63.5+)`
  static var line: String {
    let commit = BuildCommit.hash.map { "commit \($0.prefix(12))" } ?? "commit unknown"
    return "salvage \(release) (\(commit), Temporal API \(TemporalAPIVersion.release))"
  }

  struct View: Encodable {
    let release: String
    /// The full commit hash; `null` when built outside a git clone.
    let commit: String?
    let temporalAPI: String

    private enum CodingKeys: String, CodingKey { case release, commit, temporalAPI }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(release, forKey: .release)
      try container.encode(commit, forKey: .commit)  // null, not left out
      try container.encode(temporalAPI, forKey: .temporalAPI)
    }
  }
}

extension SalvageCommand {
  struct Version: ParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract:
        "Show salvage's release, the commit it was built from, and its Temporal API version."
    )

    @OptionGroup var outputOptions: OutputOptions<TextOrJSON>

    func run() throws {
      say(output == .json ? try JSONOutput.render(SalvageVersion.view) : SalvageVersion.line)
    }
  }
}
