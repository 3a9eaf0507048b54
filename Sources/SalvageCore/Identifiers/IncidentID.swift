/// The name of one incident in a journal, such as `orders-20261125T0312`.
///
/// It travels into Temporal identities (`salvage/<incident>/<action>`) and file names, so it is
/// restricted to ASCII letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most
/// 64 characters.
public struct IncidentID: RawRepresentable, Hashable, Codable, Sendable, Comparable,
  CustomStringConvertible
{
  public let rawValue: String

  /// Wraps an already validated value; use ``parse(_:)`` for input from people.
  public init?(rawValue: String) {
    guard Self.isValid(rawValue) else { return nil }
    self.rawValue = rawValue
  }

  /// Validates operator input, throwing an ``InputError`` that says what is wrong.
  public static func parse(_ text: String) throws(InputError) -> IncidentID {
    guard let id = IncidentID(rawValue: text) else {
      throw InputError(
        "incident id \(Quoted(text)) is malformed: use 1 to 64 letters, digits, '.', '_' or '-', "
          + "starting with a letter or digit")
    }
    return id
  }

  /// Derives a valid id from free text (a deployment name) and a UTC time: the default for `open`.
  public static func derived(from deployment: String, at time: UTCTime) -> IncidentID {
    let allowed = deployment.unicodeScalars.map { scalar -> Character in
      isAllowed(scalar) ? Character(scalar) : "-"
    }
    var stem = String(allowed.prefix(40))
    while let first = stem.unicodeScalars.first, !isAlphanumeric(first) {
      stem.removeFirst()
    }
    if stem.isEmpty { stem = "incident" }
    let stamp = time.compactStamp
    // The stem is clean and the stamp is digits and 'T', so the result is always valid.
    guard let id = IncidentID(rawValue: "\(stem)-\(stamp)") else {
      preconditionFailure("derived incident id is invalid: \(stem)-\(stamp)")
    }
    return id
  }

  public var description: String { rawValue }

  public static func < (lhs: IncidentID, rhs: IncidentID) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let id = IncidentID(rawValue: text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "malformed incident id \(text)"))
    }
    self = id
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  private static func isValid(_ text: String) -> Bool {
    let scalars = text.unicodeScalars
    guard let first = scalars.first, scalars.count <= 64, isAlphanumeric(first) else {
      return false
    }
    return scalars.allSatisfy(isAllowed)
  }

  private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9": true
    default: false
    }
  }

  private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    isAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-"
  }
}
