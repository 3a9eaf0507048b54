import SalvageCore

/// The `SALVAGE_*` variables that are numbers, checked like options: a bad value is a one-line
/// error (exit 64), never a trap further down.
enum EnvironmentSettings {
  /// How long a run's lease lasts, `SALVAGE_LEASE_SECONDS` (default 120): 1 to 86400 seconds.
  static func leaseSeconds(_ environment: [String: String]) throws(InputError) -> Double {
    guard let text = environment["SALVAGE_LEASE_SECONDS"], !text.isEmpty else { return 120 }
    guard let seconds = Double(text), seconds.isFinite, (1...86_400).contains(seconds) else {
      throw InputError(
        "SALVAGE_LEASE_SECONDS must be a number of seconds from 1 to 86400, not \(Quoted(text))")
    }
    return seconds
  }
}
