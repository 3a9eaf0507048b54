/// Which config file and which profile of it apply, as sdk-go's `envconfig` chooses them.
///
/// File: `--config-file`, else `TEMPORAL_CONFIG_FILE`, else Go's `os.UserConfigDir()` +
/// `temporalio/temporal.toml` (on Linux `$XDG_CONFIG_HOME` when set and absolute, no file when it
/// is relative, else `$HOME/.config`; on macOS `$HOME/Library/Application Support`). Profile:
/// `--profile`, else `TEMPORAL_PROFILE`, else `default`. Empty values count as unset, and both
/// variables apply even with `--disable-config-env`, as in the CLI.
struct ConfigFileLocation: Equatable, Sendable {
  /// The file to read, or `nil` when no default path can be worked out.
  var path: String?
  /// The profile to use.
  var profile: String
  /// Who named the profile: `--profile` or `TEMPORAL_PROFILE`; `nil` for the implicit `default`,
  /// which may be missing without error.
  var profileNamedBy: ResolvedConnection.Source?

  /// The profile sdk-go uses when none is named.
  static let defaultProfile = "default"

  /// Works out the file and the profile from the flags and the environment.
  init(flags: ConnectionFlags, environment: [String: String], isDarwin: Bool = Self.runningOnDarwin)
  {
    if let file = ConnectionFlags.given(flags.configFile) {
      path = file
    } else if let file = ConnectionFlags.given(environment["TEMPORAL_CONFIG_FILE"]) {
      path = file
    } else {
      path = Self.defaultPath(environment: environment, isDarwin: isDarwin)
    }
    if let name = ConnectionFlags.given(flags.profile) {
      profile = name
      profileNamedBy = .flag("--profile")
    } else if let name = ConnectionFlags.given(environment["TEMPORAL_PROFILE"]) {
      profile = name
      profileNamedBy = .environment("TEMPORAL_PROFILE")
    } else {
      profile = Self.defaultProfile
      profileNamedBy = nil
    }
  }

  /// `os.UserConfigDir()` + `/temporalio/temporal.toml`, or `nil` where Go's call fails.
  static func defaultPath(environment: [String: String], isDarwin: Bool) -> String? {
    let home = ConnectionFlags.given(environment["HOME"])
    let directory: String?
    if isDarwin {
      directory = home.map { $0 + "/Library/Application Support" }
    } else if let xdg = ConnectionFlags.given(environment["XDG_CONFIG_HOME"]) {
      directory = xdg.hasPrefix("/") ? xdg : nil
    } else {
      directory = home.map { $0 + "/.config" }
    }
    return directory.map { joined($0, "temporalio/temporal.toml") }
  }

  /// Go's `filepath.Join` for these inputs: one `/` between the parts.
  private static func joined(_ directory: String, _ tail: String) -> String {
    var base = Substring(directory)
    while base.count > 1, base.hasSuffix("/") { base.removeLast() }
    return base == "/" ? "/" + tail : base + "/" + tail
  }

  /// Whether this build runs on macOS, where Go's config directory differs.
  static var runningOnDarwin: Bool {
    #if canImport(Darwin)
      true
    #else
      false
    #endif
  }
}
