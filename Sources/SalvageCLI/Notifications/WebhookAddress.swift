import Foundation
import SalvageCore

/// The webhook run notifications go to (`--notify`, `SALVAGE_NOTIFY_URL`, the profile's
/// `salvage.notify_url`): an http or https address with a host.
///
/// The address is a secret: a Slack webhook's path is its token. It is never printed, journaled
/// or put in a message, and ``secrets`` are scrubbed from every notification and every reason a
/// delivery failed.
struct WebhookAddress: Sendable {
  let url: URL

  /// Checks `text` without ever repeating it: the error says what is wrong, not what was given.
  init(_ text: String) throws(InputError) {
    guard !text.isEmpty, text.count <= 4096,
      !text.unicodeScalars.contains(where: {
        $0.properties.generalCategory == .control || $0.properties.isWhitespace
      }),
      let components = URLComponents(string: text),
      let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
      let host = components.host, !host.isEmpty, let url = components.url
    else {
      throw InputError("is not an http or https address with a host (not shown: it is a secret)")
    }
    self.url = url
  }

  /// Every part of the address that may show in a message: the whole of it, without its scheme,
  /// its path with the query (a Slack token), its last path segment, its query, its user info.
  var secrets: [String] {
    let text = url.absoluteString
    var parts = [text]
    if let range = text.range(of: "://") { parts.append(String(text[range.upperBound...])) }
    if let components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
      let path = components.percentEncodedPath
      let query = components.percentEncodedQuery
      if path.count > 1 { parts.append(path + (query.map { "?" + $0 } ?? "")) }
      if let last = path.split(separator: "/").last, last.count >= 8 { parts.append(String(last)) }
      if let query, !query.isEmpty { parts.append(query) }
      if let user = components.percentEncodedUser, !user.isEmpty { parts.append(user) }
      if let password = components.percentEncodedPassword, !password.isEmpty {
        parts.append(password)
      }
    }
    return parts
  }
}
