/// One run of a Workflow Execution, by its workflow id and run id: what a per-run change (a closed
/// run's reset, a restart's termination or start) acts on.
public struct WorkflowRun: Equatable, Hashable, Sendable {
  public let workflowID: String
  public let runID: String

  public init(workflowID: String, runID: String) {
    self.workflowID = workflowID
    self.runID = runID
  }
}
