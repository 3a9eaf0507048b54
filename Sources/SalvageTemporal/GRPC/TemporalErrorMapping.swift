internal import GRPCCore
public import SalvageCore

/// Turns a gRPC status from the server into a ``TemporalError``, by the call and the status code.
enum TemporalErrorMapping {
  /// The calls whose NOT_FOUND names a thing salvage asks about.
  private static let notFound: [String: @Sendable (String) -> TemporalError] = [
    "DescribeWorkerDeployment": TemporalError.deploymentNotFound,
    "DescribeWorkerDeploymentVersion": TemporalError.versionNotFound,
    "DeleteWorkerDeploymentVersion": TemporalError.versionNotFound,
    "DescribeBatchOperation": TemporalError.batchNotFound,
    "DescribeWorkflowExecution": TemporalError.workflowNotFound,
    "GetWorkflowExecutionHistory": TemporalError.workflowNotFound,
    "ResetWorkflowExecution": TemporalError.workflowNotFound,
  ]

  static func map(
    _ error: RPCError, call: String, deadline: Double, scrubber: SecretScrubber
  ) -> TemporalError {
    let message = scrubber.scrub(firstLine(error.message))
    switch error.code {
    case .notFound:
      if let make = notFound[call] { return make(message) }
    case .resourceExhausted where message.contains("Max concurrent batch operations"):
      return .batchLimitReached
    case .alreadyExists:
      return .alreadyExists(message)
    case .invalidArgument where call == "CountWorkflowExecutions" || call == "ListWorkflowExecutions":
      return .invalidQuery(message)
    case .failedPrecondition where call == "DeleteWorkerDeploymentVersion" && message.lowercased().contains("poller"):
      return .versionHasPollers(message)
    case .unauthenticated, .permissionDenied:
      return .unauthenticated(message)
    case .deadlineExceeded:
      return .timedOut(call: call, seconds: deadline)
    case .unavailable where message.contains("connect") || message.contains("Connection refused"):
      return .unreachable(message)
    default:
      break
    }
    return .failed(call: call, code: error.code.description, message: message)
  }

  private static func firstLine(_ text: String) -> String {
    String(text.split(whereSeparator: \.isNewline).first ?? "")
  }
}
