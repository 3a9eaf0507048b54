/// This journal took in the incident from an export file, and what it may do with it.
///
/// Appended by `import` after the file's events, in the same transaction, so an incident imported
/// here is never mistaken for the original. The file's events keep their hashes; this event
/// chains on from the file's last one (`lastHash`).
public struct IncidentImported: EventPayload {
  public static let typeName = "IncidentImported"
  public static let schemaVersion = 1

  /// What the importing journal holds.
  public enum Mode: String, Codable, Sendable {
    /// A plain export: a read-only copy; the original journal still drives the incident.
    case copy
    /// An export sealed by `handoff --export`: the incident continues here.
    case handedOver = "handed-over"
    /// A plain export the operator chose to drive from here (`import --adopt`), on their word
    /// that the original journal no longer does.
    case adopted
  }

  public let mode: Mode
  /// The export file as the operator named it.
  public let file: String
  /// The hash (hex) of the file's last event.
  public let lastHash: String
  /// How many events the file held.
  public let events: Int
  /// The public key that signed the file (`ed25519:BASE64`); absent for an unsigned file.
  public let signer: String?
  /// Whether that key was the one the importer pinned (`import --trust-key`); absent when unsigned.
  public let trustedSigner: Bool?

  public init(
    mode: Mode, file: String, lastHash: String, events: Int, signer: String? = nil,
    trustedSigner: Bool? = nil
  ) {
    self.mode = mode
    self.file = file
    self.lastHash = lastHash
    self.events = events
    self.signer = signer
    self.trustedSigner = signer == nil ? nil : trustedSigner ?? false
  }
}

extension IncidentImported {
  /// `; signed by KEY, the trusted key`, or `; signed by KEY (not pinned with --trust-key)`, or
  /// nothing for an unsigned file.
  var signedBy: String {
    guard let signer else { return "" }
    return "; signed by \(signer)"
      + (trustedSigner == true ? ", the trusted key" : " (not pinned with --trust-key)")
  }
}
