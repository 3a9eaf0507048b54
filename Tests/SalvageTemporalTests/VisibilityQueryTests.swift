import SalvageCore
import SalvageFakes
import Testing

@Suite struct VisibilityQueryTests {
  @Test func theRunbooksStuckQueryRendersAsTheRunbookWritesIt() throws {
    let query = VisibilityQuery.all([
      .equals(.workerDeploymentVersion, "orders:v2"), .equals(.executionStatus, "Running"),
      .isIn(.reportedProblems, ["category=WorkflowTaskFailed", "category=WorkflowTaskTimedOut"]),
      .equals(.workflowType, "OrderWorkflow"),
    ])
    #expect(
      try query.rendered()
        == "TemporalWorkerDeploymentVersion = 'orders:v2' AND ExecutionStatus = 'Running' AND "
        + "TemporalReportedProblems IN ('category=WorkflowTaskFailed', 'category=WorkflowTaskTimedOut')"
        + " AND WorkflowType = 'OrderWorkflow'")
  }

  @Test func aLongListOfRunIDsIsSplitIntoQueriesThatEachFitTheLimit() throws {
    // Given 10,000 run ids as long as the server's, some holding characters that are escaped
    let ids = (0..<10_000).map { index in
      index % 1_000 == 7 ? "it's\\\(index)" : "00000000-0000-4000-8000-\(100_000_000_000 + index)"
    }
    let guards: [VisibilityQuery] = [
      .equals(.workerDeploymentVersion, "orders:v2"), .equals(.executionStatus, "Running"),
    ]
    // When they are chunked under the guards
    let chunks = try VisibilityQuery.chunked(.runID, ids, guardedBy: guards)
    // Then every chunk renders within the limit, keeps the guards, and together they hold every id
    // once, in order, in as few chunks as the bytes need
    var back: [String] = []
    for chunk in chunks {
      #expect(try chunk.rendered().utf8.count <= VisibilityQuery.maximumLength)
      guard case .all(let clauses) = chunk, case .isIn(.runID, let values) = clauses.last else {
        Issue.record("not a guarded RunId IN: \(chunk)")
        return
      }
      #expect(Array(clauses.dropLast()) == guards)
      back += values
    }
    #expect(back == ids)
    #expect(chunks.count == 4)
    #expect(try VisibilityQuery.chunked(.runID, [], guardedBy: guards).isEmpty)
  }

  @Test func nestedGroupsAreParenthesised() throws {
    let query = VisibilityQuery.all([
      .equals(.workerDeploymentVersion, "d:b"),
      .any([.equals(.executionStatus, "Failed"), .equals(.executionStatus, "TimedOut")]),
    ])
    #expect(
      try query.rendered()
        == "TemporalWorkerDeploymentVersion = 'd:b' AND (ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut')"
    )
  }

  @Test func quotesAndBackslashesAreEscapedWithABackslash() throws {
    #expect(
      try VisibilityQuery.equals(.workflowType, #"O'Brien\n"#).rendered()
        == #"WorkflowType = 'O\'Brien\\n'"#)
  }

  @Test(arguments: [
    "'", "''", "\\", "\\'", "' OR 1=1 --", "x') OR ('1'='1", "a\nb\r\tc", "DROP TABLE executions;",
    "ünïcödé ✓ 🚀", "%_*", "\"double\"", " GROUP BY ExecutionStatus", "\\\\\\'", "'); --",
    String(repeating: "'\\", count: 5000),
  ])
  func aHostileValueNeverChangesTheQueryStructure(value: String) throws {
    try expectStructurePreserved(value)
  }

  @Test func randomHostileValuesNeverChangeTheQueryStructure() throws {
    // Given 2,000 random strings over an alphabet of quote, escape, SQL and unicode characters
    let alphabet =
      Array("'\"\\ \n\r\t()=,;-%_*aZ9ORANDINé✓🚀\u{2028}")
      + ["OR", "AND", "--", "/*", "*/", "IN"]
      .flatMap { Array($0) }
    var generator = SeededGenerator(seed: 2026)
    for _ in 0..<2000 {
      let length = Int(generator.next() % 64)
      let value = String(
        (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
      // Then each renders to the same skeleton and its literals read back exactly
      try expectStructurePreserved(value)
    }
  }

  @Test func aNULCannotTravelInAnArgvAndIsRefused() {
    #expect(throws: QueryError.nulInValue) {
      try VisibilityQuery.equals(.workflowType, "a\0b").rendered()
    }
  }

  @Test func aQueryOverTheArgvLimitIsRefused() {
    // Given 4,000 run ids of 36 to 39 characters: `RunId IN (…)` would be 170,899 bytes
    let ids = (0..<4000).map { "run-\($0)-" + String(repeating: "x", count: 30) }
    // When the query is rendered, then it is refused, saying by how much it is over 120 KiB
    #expect(throws: QueryError.tooLong(bytes: 170_899, limit: 122_880)) {
      try VisibilityQuery.isIn(.runID, ids).rendered()
    }
  }

  @Test func twoThousandRunIDsFitInOneQuery() throws {
    let ids = (0..<2000).map { _ in "01a212ce-637a-7162-b144-89e5c952d474" }
    let text = try VisibilityQuery.isIn(.runID, ids).rendered()
    #expect(text.utf8.count < VisibilityQuery.maximumLength)
  }

  @Test func emptyListsAndGroupsAreRefused() {
    #expect(throws: QueryError.emptyList("RunId")) {
      try VisibilityQuery.isIn(.runID, []).rendered()
    }
    #expect(throws: QueryError.emptyGroup) { try VisibilityQuery.all([]).rendered() }
  }

  @Test(arguments: ["Bad Name", "1abc", "a-b", "a'b", "", "ünï"])
  func customAttributeNamesMustBeIdentifiers(name: String) {
    #expect(
      throws: InputError(
        "search attribute name '\(name)' is malformed: use letters, digits and '_'")
    ) { try SearchAttribute(name) }
  }

  @Test func aBoolAttributeIsComparedWithABareLiteral() throws {
    #expect(
      try VisibilityQuery.equalsBool(SearchAttribute("Restartable"), true).rendered()
        == "Restartable = true")
  }

  @Test func aCustomAttributeNameIsUsedAsIs() throws {
    #expect(
      try VisibilityQuery.equals(SearchAttribute("Restartable_2"), "yes").rendered()
        == "Restartable_2 = 'yes'")
  }
}

/// Renders a query holding `value` in every clause kind and checks that, read back as the server's
/// tokenizer reads it, the structure is the benign query's and every literal is exactly the input.
private func expectStructurePreserved(
  _ value: String, sourceLocation: SourceLocation = #_sourceLocation
)
  throws
{
  func query(_ v: String) -> VisibilityQuery {
    .all([
      .equals(.workflowType, v), .notEquals(.workflowID, v), .isIn(.reportedProblems, [v, "x"]),
      .any([.startsWith(.batcherUser, v), .equals(.runID, v)]),
    ])
  }
  let benign = try tokenize(try query("a").rendered())
  let hostile = try tokenize(try query(value).rendered())
  #expect(hostile.skeleton == benign.skeleton, sourceLocation: sourceLocation)
  #expect(
    hostile.literals == [value, value, value, "x", value, value], sourceLocation: sourceLocation)
}

/// Splits a query into its structure (each string literal replaced by `?`) and the literal values,
/// reading literals as the server's SQL tokenizer does: `\x` is `x`, and `''` inside is `'`.
private func tokenize(_ query: String) throws -> (skeleton: String, literals: [String]) {
  struct Unterminated: Error {}
  var skeleton = ""
  var literals: [String] = []
  var scalars = Array(query.unicodeScalars)[...]
  while let scalar = scalars.popFirst() {
    guard scalar == "'" else {
      skeleton.unicodeScalars.append(scalar)
      continue
    }
    var literal = ""
    var closed = false
    while let inner = scalars.popFirst() {
      if inner == "\\" {
        guard let escaped = scalars.popFirst() else { throw Unterminated() }
        literal.unicodeScalars.append(escaped)
      } else if inner == "'" {
        if scalars.first == "'" {
          scalars.removeFirst()
          literal += "'"
        } else {
          closed = true
          break
        }
      } else {
        literal.unicodeScalars.append(inner)
      }
    }
    guard closed else { throw Unterminated() }
    literals.append(literal)
    skeleton += "?"
  }
  return (skeleton, literals)
}
