/// A visibility query (`--query`), built from typed clauses and rendered in one place.
///
/// Every value is written as a single-quoted string literal with `\` and `'` escaped by a
/// backslash, so no value (a Workflow Type or build id holding quotes, backslashes, newlines or SQL
/// keywords) can change the query's structure. A value holding NUL cannot travel in an argv string
/// and is refused, as is a query longer than ``maximumLength`` (Linux caps one argument at 128 KiB).
public indirect enum VisibilityQuery: Equatable, Sendable {
  /// `Attribute = 'value'`
  case equals(SearchAttribute, String)
  /// `Attribute != 'value'`
  case notEquals(SearchAttribute, String)
  /// `Attribute = true` (a Bool attribute)
  case equalsBool(SearchAttribute, Bool)
  /// `Attribute IN ('a', 'b')`
  case isIn(SearchAttribute, [String])
  /// `Attribute STARTS_WITH 'prefix'`
  case startsWith(SearchAttribute, String)
  /// Every clause holds: `(a) AND (b)`.
  case all([VisibilityQuery])
  /// Some clause holds: `(a) OR (b)`.
  case any([VisibilityQuery])

  /// The longest rendered query salvage passes as one argument.
  public static let maximumLength = 120 * 1024

  /// `clauses AND attribute IN (…)` over all of `values`, split into as few queries as keep each
  /// one within ``maximumLength`` when rendered, the values in their order.
  public static func chunked(
    _ attribute: SearchAttribute, _ values: [String], guardedBy clauses: [VisibilityQuery]
  ) throws(QueryError) -> [VisibilityQuery] {
    try chunks(attribute, values, guardedBy: clauses).map {
      VisibilityQuery.all(clauses + [.isIn(attribute, $0)])
    }
  }

  /// The values of each of ``chunked(_:_:guardedBy:)``'s queries, in order: the first chunk's
  /// values, then the second's.
  public static func chunks(
    _ attribute: SearchAttribute, _ values: [String], guardedBy clauses: [VisibilityQuery]
  ) throws(QueryError) -> [[String]] {
    guard !values.isEmpty else { return [] }
    // What the query takes besides its values: rendered around a one-letter value ('x', 3 bytes).
    let frame = try VisibilityQuery.all(clauses + [.isIn(attribute, ["x"])]).rendered().utf8.count
    let budget = maximumLength - (frame - 3)
    var chunks: [[String]] = [[]]
    var used = 0
    for value in values {
      // The literal: its bytes, one more for each escaped `\` or `'`, two quotes; ", " between.
      let escaped =
        value.utf8.count + value.utf8.count { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "'") }
      let cost = escaped + 2 + (chunks[chunks.count - 1].isEmpty ? 0 : 2)
      if !chunks[chunks.count - 1].isEmpty, used + cost > budget {
        chunks.append([])
        used = 0
      }
      used += chunks[chunks.count - 1].isEmpty ? escaped + 2 : cost
      chunks[chunks.count - 1].append(value)
    }
    // A single value too long still throws.
    for chunk in chunks {
      _ = try VisibilityQuery.all(clauses + [.isIn(attribute, chunk)]).rendered()
    }
    return chunks
  }

  /// The query text for `--query`.
  public func rendered() throws(QueryError) -> String {
    var out = ""
    try render(into: &out)
    guard out.utf8.count <= Self.maximumLength else {
      throw .tooLong(bytes: out.utf8.count, limit: Self.maximumLength)
    }
    return out
  }

  private func render(into out: inout String) throws(QueryError) {
    switch self {
    case .equals(let attribute, let value):
      out += "\(attribute.name) = "
      try Self.literal(value, into: &out)
    case .equalsBool(let attribute, let value):
      out += "\(attribute.name) = \(value ? "true" : "false")"
    case .notEquals(let attribute, let value):
      out += "\(attribute.name) != "
      try Self.literal(value, into: &out)
    case .startsWith(let attribute, let value):
      out += "\(attribute.name) STARTS_WITH "
      try Self.literal(value, into: &out)
    case .isIn(let attribute, let values):
      guard !values.isEmpty else { throw .emptyList(attribute.name) }
      out += "\(attribute.name) IN ("
      for (index, value) in values.enumerated() {
        if index > 0 { out += ", " }
        try Self.literal(value, into: &out)
      }
      out += ")"
    case .all(let clauses):
      try Self.join(clauses, with: " AND ", into: &out)
    case .any(let clauses):
      try Self.join(clauses, with: " OR ", into: &out)
    }
  }

  private static func join(
    _ clauses: [VisibilityQuery], with separator: String, into out: inout String
  )
    throws(QueryError)
  {
    guard !clauses.isEmpty else { throw .emptyGroup }
    if clauses.count == 1 {
      try clauses[0].render(into: &out)
      return
    }
    for (index, clause) in clauses.enumerated() {
      if index > 0 { out += separator }
      switch clause {
      case .all(let inner) where inner.count > 1, .any(let inner) where inner.count > 1:
        out += "("
        try clause.render(into: &out)
        out += ")"
      default:
        try clause.render(into: &out)
      }
    }
  }

  private static func literal(_ value: String, into out: inout String) throws(QueryError) {
    out += "'"
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\0": throw .nulInValue
      case "\\": out += "\\\\"
      case "'": out += "\\'"
      default: out.unicodeScalars.append(scalar)
      }
    }
    out += "'"
  }
}

/// Why a query could not be built.
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
  case nulInValue
  case emptyList(String)
  case emptyGroup
  case tooLong(bytes: Int, limit: Int)

  public var description: String {
    switch self {
    case .nulInValue: "a query value contains a NUL character, which cannot be passed to temporal"
    case .emptyList(let name): "an IN list for \(name) is empty"
    case .emptyGroup: "a query has an empty AND/OR group"
    case .tooLong(let bytes, let limit): "query is \(bytes) bytes, over the \(limit)-byte limit"
    }
  }
}
