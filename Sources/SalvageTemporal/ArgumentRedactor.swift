import Foundation

/// Hides secret values in an argv before it is recorded, logged or printed.
///
/// salvage never puts secrets on an argv itself, but an argv it shows may come from elsewhere
/// (a dry run of an operator's flags), so every flag that can carry key material, a token or an
/// auth header has its value replaced, in both `--flag value` and `--flag=value` forms.
public enum ArgumentRedactor {
  /// Flags whose value is secret.
  public static let secretFlags: Set<String> = [
    "--api-key", "--tls-key-data", "--tls-cert-data", "--tls-ca-data", "--codec-auth",
    "--grpc-meta", "--codec-header",
  ]

  /// The replacement text.
  public static let mask = "<redacted>"

  /// The argv with every secret value masked.
  public static func redact(_ arguments: [String]) -> [String] {
    var result: [String] = []
    var maskNext = false
    for argument in arguments {
      if maskNext {
        result.append(mask)
        maskNext = false
        continue
      }
      if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--"),
        secretFlags.contains(String(argument[..<equals]))
      {
        result.append(argument[..<equals] + "=" + mask)
      } else {
        result.append(argument)
        maskNext = secretFlags.contains(argument)
      }
    }
    return result
  }

  /// Masks known secret values wherever they appear in a text (stderr, say).
  public static func scrub(_ text: String, secrets: [String]) -> String {
    secrets.filter { $0.count >= 4 }.reduce(text) { $0.replacingOccurrences(of: $1, with: mask) }
  }
}
