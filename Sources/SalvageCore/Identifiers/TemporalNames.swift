/// Validation of the Temporal names an operator types: deployment, build id, namespace, type.
///
/// The rules follow the Temporal server: a deployment name is non-empty and contains neither `.`
/// nor `:` (the version delimiters), a build id is non-empty. salvage also refuses control
/// characters, leading or trailing white space and values over 255 characters, which are always
/// typing mistakes in an incident.
public enum TemporalNames {
  /// The longest deployment name, build id or namespace salvage accepts.
  public static let maximumLength = 255

  /// Returns the deployment name, or throws saying what is wrong with it.
  public static func deployment(_ text: String) throws(InputError) -> String {
    try common(text, what: "deployment name")
    if text.contains(".") || text.contains(":") {
      throw InputError(
        "deployment name \(Quoted(text)) is malformed: it must not contain '.' or ':'")
    }
    try matchable(text, what: "deployment name")
    return text
  }

  /// Returns the build id, or throws saying what is wrong with it.
  public static func buildID(_ text: String, role: String) throws(InputError) -> String {
    try common(text, what: "\(role) build id")
    return text
  }

  /// Returns the bad build id: a build id that visibility must also be able to match, since every
  /// query salvage selects by names its version (`TemporalWorkerDeploymentVersion = 'd:b'`).
  public static func badBuildID(_ text: String) throws(InputError) -> String {
    try common(text, what: "bad build id")
    try matchable(text, what: "bad build id")
    return text
  }

  /// The characters a visibility query's string literal cannot match (seen on server 1.32): a
  /// double quote matches nothing, quoted either way, and a backslash only unescaped, where it
  /// would escape the next character. A deployment or bad build holding one could be identified,
  /// frozen and drained as having nothing pinned to it, and the incident cleaned with nothing done.
  static let unmatchable: Set<Character> = ["\"", "\\"]

  private static func matchable(_ text: String, what: String) throws(InputError) {
    guard let found = text.first(where: { unmatchable.contains($0) }) else { return }
    throw InputError(
      "\(what) \(Quoted(text)) cannot be used: Temporal's visibility queries cannot match a "
        + "\(found == "\"" ? "double quote" : "backslash") in it, so salvage would find none of its "
        + "Workflows; recover this one by hand")
  }

  /// Returns the namespace, or throws saying what is wrong with it.
  public static func namespace(_ text: String) throws(InputError) -> String {
    try common(text, what: "namespace")
    return text
  }

  /// The longest Workflow Type name salvage accepts: the server's default `limit.maxIDLength`.
  public static let maximumWorkflowTypeLength = 1000

  /// Returns the Workflow Type name, or throws saying what is wrong with it.
  public static func workflowType(_ text: String) throws(InputError) -> String {
    try common(text, what: "workflow type", maximum: maximumWorkflowTypeLength)
    return text
  }

  /// Checks a one-line setting (a server name, a profile, an authority): the same rules as a name.
  public static func setting(_ text: String, what: String) throws(InputError) -> String {
    try common(text, what: what, maximum: 4096)
    return text
  }

  private static func common(_ text: String, what: String, maximum: Int = maximumLength)
    throws(InputError)
  {
    if text.isEmpty {
      throw InputError("\(what) is empty")
    }
    if text.unicodeScalars.count > maximum {
      throw InputError("\(what) is malformed: longer than \(maximum) characters")
    }
    if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      throw InputError("\(what) \(Quoted(text)) is malformed: it contains a control character")
    }
    if text.first?.isWhitespace == true || text.last?.isWhitespace == true {
      throw InputError("\(what) \(Quoted(text)) is malformed: leading or trailing white space")
    }
  }
}
