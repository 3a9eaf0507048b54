import ArgumentParser
import Foundation

/// `--ui-url`, shared by the commands whose output links into Temporal's Web UI (`timeline`,
/// `targets`, `handoff`): the flag, else `TEMPORAL_UI_URL`; without either, no links.
struct WebUIOptions: ParsableArguments {
  @Option(
    name: .customLong("ui-url"),
    help:
      "Temporal Web UI address (else TEMPORAL_UI_URL), e.g. http://localhost:8233 for a dev server: links each Workflow run, batch and version to its page."
  )
  var uiURL: String?

  /// The links into the incident's namespace, or `nil` when no address is given. A malformed
  /// address is a usage error (exit 64), before anything is written.
  func links(namespace: String, _ environment: [String: String]) throws -> WebUILinks? {
    let given = uiURL ?? environment["TEMPORAL_UI_URL"].flatMap { $0.isEmpty ? nil : $0 }
    guard let given else { return nil }
    do {
      return try WebUILinks(address: given, namespace: namespace)
    } catch {
      throw ValidationError(
        (uiURL == nil ? "TEMPORAL_UI_URL: " : "--ui-url: ") + error.description)
    }
  }
}
