extension RunbookRunner.Step {
  /// Why `type`'s one-time overrides cannot be sent to this server, or `nil` when they can: a
  /// server older than ``OverrideKind/oneTimeSince`` drops the `one_time` field and then refuses
  /// every override ("override behavior is required"), so nothing is sent to it.
  func oneTimeRefusal(_ type: String) async throws -> String? {
    let reported = try await temporal.serverVersion()
    guard let since = ServerRelease(OverrideKind.oneTimeSince) else { return nil }
    if let release = ServerRelease(reported), release >= since { return nil }
    return "\(type) was decided with one-time Versioning Overrides, which need Temporal server "
      + "\(since) or later; this server reports '\(reported)'. Decide it again without "
      + "--one-time-override (salvage decide --type \(ShellQuoting.quote(type)) …), then run again"
  }
}
