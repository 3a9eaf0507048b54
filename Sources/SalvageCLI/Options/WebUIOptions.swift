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

  /// The links into the incident's namespace, or `nil` when no address is given (or the incident
  /// has no namespace yet). A malformed `--ui-url` is a usage error (exit 64), before anything is
  /// written; a malformed `TEMPORAL_UI_URL` is ignored with a warning, so a stale variable never
  /// stops a handoff. The address itself is never repeated.
  func links(namespace: String?, _ environment: [String: String]) throws -> WebUILinks? {
    if let uiURL {
      do {
        let links = try WebUILinks(address: uiURL, namespace: namespace ?? "")
        return namespace == nil ? nil : links
      } catch {
        throw ValidationError("--ui-url: " + error.description)
      }
    }
    guard let variable = environment["TEMPORAL_UI_URL"], !variable.isEmpty else { return nil }
    do {
      let links = try WebUILinks(address: variable, namespace: namespace ?? "")
      return namespace == nil ? nil : links
    } catch {
      StandardStreams.error("salvage: warning: TEMPORAL_UI_URL ignored: \(error.description)\n")
      return nil
    }
  }
}
