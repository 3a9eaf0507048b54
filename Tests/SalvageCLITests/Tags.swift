import Testing

// The one declaration of the tag: Tests/SalvageTemporalTests/Tags.swift is a symbolic link to this
// file, so both test modules compile it (a test target cannot import another).
extension Tag {
  /// Tests that need more than this process: a child process (salvage, git, python, tmux, nginx,
  /// Chromium), a socket, or a real Temporal dev server. `tools/test --unit` skips them.
  @Tag static var integration: Self
}
