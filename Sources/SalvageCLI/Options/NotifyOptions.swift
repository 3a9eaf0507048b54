import ArgumentParser
import Foundation
import SalvageCore
import SalvageTemporal

/// `--notify URL` and `--notify-stall-after S`, on `run` and the step commands: where run
/// notifications are posted (the flag, else `SALVAGE_NOTIFY_URL`, else the profile's
/// `salvage.notify_url`), and how long a wait goes on before a message says it stalls.
struct NotifyOptions: ParsableArguments {
  @Option(
    name: .customLong("notify"),
    help: ArgumentHelp(
      "A Slack-compatible incoming webhook to post the run's phase changes, stops for a person, "
        + "stalled waits and end to (else SALVAGE_NOTIFY_URL, else the profile's salvage.notify_url; "
        + "a secret: prefer the variable, a flag shows in ps).",
      valueName: "url"))
  var notifyURL: String?

  @Option(
    help: ArgumentHelp(
      "Seconds a wait (a batch, drainage, the bad workers) goes on before a notification says it "
        + "stalls, and again each time as long again (default 600).",
      valueName: "seconds"))
  var notifyStallAfter: Double?

  /// The stall threshold when none is given: ten minutes.
  static let defaultStallAfter = 600.0

  func validate() throws {
    if let notifyStallAfter,
      !(notifyStallAfter.isFinite && (1...86_400).contains(notifyStallAfter))
    {
      throw ValidationError("--notify-stall-after must be a number of seconds from 1 to 86400")
    }
    if let notifyURL {
      do {
        _ = try WebhookAddress(notifyURL)
      } catch {
        throw ValidationError("--notify " + error.description)
      }
    }
  }

  /// The webhook, if any: the flag, else `SALVAGE_NOTIFY_URL`, else the profile's (asked only
  /// when neither is set). A malformed one is a usage error (exit 64) that never repeats it.
  func address(
    _ environment: [String: String], profile: () throws -> ResolvedConnection
  ) throws -> WebhookAddress? {
    do {
      if let notifyURL { return try WebhookAddress(notifyURL) }
    } catch {
      throw CommandError.usage("--notify " + error.description)
    }
    if let variable = environment["SALVAGE_NOTIFY_URL"], !variable.isEmpty {
      do {
        return try WebhookAddress(variable)
      } catch {
        throw CommandError.usage("SALVAGE_NOTIFY_URL " + error.description)
      }
    }
    guard let fromProfile = try profile().notifyURL else { return nil }
    do {
      return try WebhookAddress(fromProfile.revealed)
    } catch {
      throw CommandError.usage("the profile's salvage.notify_url " + error.description)
    }
  }
}
