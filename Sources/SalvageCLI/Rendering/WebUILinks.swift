import Foundation
import SalvageCore

/// Links into Temporal's Web UI, to its own pages: a Workflow run's history, a batch operation,
/// a Worker Deployment Version's Workflows. Every id is one path segment, percent-encoded (a
/// workflow id may hold `/`, `?`, `#` or spaces).
struct WebUILinks: Equatable {
  /// `scheme://host[:port][/path]`, without a trailing slash.
  let base: String
  let namespace: String

  /// The UI at `address` (http or https, a host, no credentials, no query or fragment); a
  /// trailing slash is dropped. Its characters are the unreserved ones, `:`, `/` and `%`: nothing
  /// that would end a Markdown link or need quoting in CSV or HTML.
  init(address: String, namespace: String) throws(WebUIAddressError) {
    // Named before the character check refuses them, so the message says what is wrong.
    if address.contains("@") { throw .carriesCredentials }
    if address.contains("?") || address.contains("#") { throw .hasQuery }
    guard address.unicodeScalars.allSatisfy(Self.addressCharacters.contains),
      let url = URLComponents(string: address), let scheme = url.scheme?.lowercased(),
      ["http", "https"].contains(scheme), let host = url.host, !host.isEmpty
    else { throw .notAnAddress }
    var base = address
    while base.hasSuffix("/") { base.removeLast() }
    self.base = base
    self.namespace = namespace
  }

  /// `/namespaces/{ns}/workflows/{id}/{run}/history`
  func workflow(_ workflowID: String, run runID: String) -> String {
    page(["workflows", workflowID, runID, "history"])
  }

  /// `/namespaces/{ns}/batch-operations/{job}`
  func batch(_ job: String) -> String { page(["batch-operations", job]) }

  /// `/namespaces/{ns}/workflows?query=TemporalWorkerDeploymentVersion="{deployment}:{build}"`:
  /// the page the UI itself links a version to from its deployment's page (the UI of server 1.32
  /// has no page of one version; `/worker-deployments/{deployment}/version/{build}` is Not Found).
  /// A build id no visibility query can quote links to the deployment's page instead.
  func version(deployment: String, build: String) -> String {
    let version = WorkerDeploymentVersion(deploymentName: deployment, buildID: build)
    guard
      let query = try? VisibilityQuery.equals(
        .workerDeploymentVersion, version.visibilityValue
      ).rendered()
    else {
      return page(["worker-deployments", deployment])  // a build id no query can quote
    }
    return page(["workflows"]) + "?query=" + Self.segment(query)
  }

  private func page(_ segments: [String]) -> String {
    ([base, "namespaces", namespace] + segments).enumerated().map { index, part in
      index == 0 ? part : Self.segment(part)
    }.joined(separator: "/")
  }

  /// RFC 3986's unreserved characters stay; every other byte is `%XX`.
  static func segment(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
  }

  /// RFC 3986's unreserved characters: the only ones a path segment keeps as they are.
  private static let unreserved = CharacterSet(
    charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
  /// What an address may hold: the unreserved characters, `:`, `/` and `%`.
  private static let addressCharacters = unreserved.union(CharacterSet(charactersIn: ":/%"))
}

enum WebUIAddressError: Error, Equatable, CustomStringConvertible {
  case notAnAddress, carriesCredentials, hasQuery

  var description: String {
    switch self {
    case .notAnAddress:
      "the Web UI address must be http:// or https:// and a host, like http://localhost:8233"
    case .carriesCredentials:
      "the Web UI address must not carry a user or password: links end up in timelines and messages"
    case .hasQuery:
      "the Web UI address must not have a query or a fragment: links are built under its path"
    }
  }
}
