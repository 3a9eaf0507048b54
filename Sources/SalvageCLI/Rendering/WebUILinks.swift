import Foundation

/// Links into Temporal's Web UI, to its own pages: a Workflow run's history, a batch operation,
/// a Worker Deployment Version. Every id is one path segment, percent-encoded (a workflow id may
/// hold `/`, `?`, `#` or spaces).
struct WebUILinks: Equatable {
  /// `scheme://host[:port][/path]`, without a trailing slash.
  let base: String
  let namespace: String

  /// The UI at `address` (http or https, a host, no credentials, no query or fragment); a
  /// trailing slash is dropped.
  init(address: String, namespace: String) throws(WebUIAddressError) {
    guard let url = URLComponents(string: address), let scheme = url.scheme?.lowercased(),
      ["http", "https"].contains(scheme), let host = url.host, !host.isEmpty
    else { throw .notAnAddress }
    guard url.user == nil, url.password == nil else { throw .carriesCredentials }
    guard url.query == nil, url.fragment == nil else { throw .hasQuery }
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

  /// `/namespaces/{ns}/worker-deployments/{deployment}/version/{build}`
  func version(deployment: String, build: String) -> String {
    page(["worker-deployments", deployment, "version", build])
  }

  private func page(_ segments: [String]) -> String {
    ([base, "namespaces", namespace] + segments).enumerated().map { index, part in
      index == 0 ? part : Self.segment(part)
    }.joined(separator: "/")
  }

  /// RFC 3986's unreserved characters stay; every other byte is `%XX`.
  static func segment(_ text: String) -> String {
    let unreserved = CharacterSet(
      charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
  }
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
