/// The name of a search attribute in a visibility query.
///
/// Names are never quoted in Temporal's query language, so they are restricted to identifiers:
/// a value can be anything, a name cannot.
public struct SearchAttribute: Hashable, Sendable, CustomStringConvertible {
  /// The attribute's name as the server knows it.
  public let name: String

  /// Validates a custom attribute name: a letter or `_`, then letters, digits or `_`.
  public init(_ name: String) throws(InputError) {
    let scalars = name.unicodeScalars
    guard let first = scalars.first, scalars.count <= 255,
      first == "_" || first.properties.isAlphabetic && first.isASCII,
      scalars.allSatisfy({
        $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
      })
    else {
      throw InputError(
        "search attribute name \(Quoted(name)) is malformed: use letters, digits and '_'")
    }
    self.name = name
  }

  private init(known name: String) { self.name = name }

  public var description: String { name }

  public static let workflowType = SearchAttribute(known: "WorkflowType")
  public static let workflowID = SearchAttribute(known: "WorkflowId")
  public static let runID = SearchAttribute(known: "RunId")
  /// A child's parent's workflow id.
  public static let parentWorkflowID = SearchAttribute(known: "ParentWorkflowId")
  public static let executionStatus = SearchAttribute(known: "ExecutionStatus")
  public static let workerDeploymentVersion = SearchAttribute(
    known: "TemporalWorkerDeploymentVersion")
  public static let reportedProblems = SearchAttribute(known: "TemporalReportedProblems")
  public static let namespaceDivision = SearchAttribute(known: "TemporalNamespaceDivision")
  public static let batcherUser = SearchAttribute(known: "BatcherUser")
  public static let taskQueue = SearchAttribute(known: "TaskQueue")
}
