import Foundation

/// Masks every secret of the connection in any text the server or a subprocess returns, in each
/// form a message can carry it: plain, base64 (standard and URL-safe, with or without padding),
/// percent-encoded and JSON-quoted. Secrets of any length count.
public struct SecretScrubber: Sendable {
  /// What stands in for a secret.
  public static let mask = "<redacted>"

  let forms: [String]

  public init(secrets: [String]) {
    var forms = Set<String>()
    for secret in secrets where !secret.isEmpty {
      forms.insert(secret)
      let base64 = Data(secret.utf8).base64EncodedString()
      forms.insert(base64)
      forms.insert(base64.replacingOccurrences(of: "=", with: ""))
      let urlSafe = base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      forms.insert(urlSafe)
      forms.insert(urlSafe.replacingOccurrences(of: "=", with: ""))
      if let percent = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { forms.insert(percent) }
      if let percent = secret.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) { forms.insert(percent) }
      for formatting in [JSONEncoder.OutputFormatting(), .withoutEscapingSlashes] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        if let json = try? encoder.encode(secret), let quoted = String(data: json, encoding: .utf8) {
          forms.insert(String(quoted.dropFirst().dropLast()))
        }
      }
    }
    // Longest first, so a form that contains another is masked whole.
    self.forms = forms.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
  }

  /// `text` with every form of every secret masked.
  public func scrub(_ text: String) -> String {
    forms.reduce(text) { $0.replacingOccurrences(of: $1, with: Self.mask) }
  }
}
