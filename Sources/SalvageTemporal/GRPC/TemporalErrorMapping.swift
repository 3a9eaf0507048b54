internal import GRPCCore
internal import SalvageCore

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
    "TerminateWorkflowExecution": TemporalError.workflowNotFound,
  ]

  /// Words of a message over a size limit (grpc-swift's for an answer too large, grpc-go's for a
  /// request the server would not take): RESOURCE_EXHAUSTED, but sending it again never helps.
  private static let overSizeLimit = ["maximum payload size", "larger than max"]

  /// Whether a RESOURCE_EXHAUSTED says a message was too large, not that a rate was exceeded.
  static func isOverSizeLimit(_ message: String) -> Bool {
    overSizeLimit.contains(where: message.contains)
  }

  /// grpc-swift's words for a call that found no connection to send on.
  private static let neverConnected = [
    "Could not establish a connection", "Connection refused", "isn't ready",
    "transient failure state", "before completing the HTTP/2 connection preface",
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
    case .resourceExhausted where !isOverSizeLimit(message):
      return .rateLimited(call: call, message: message)
    case .alreadyExists:
      return .alreadyExists(message)
    case .invalidArgument
    where call == "CountWorkflowExecutions" || call == "ListWorkflowExecutions":
      return .invalidQuery(message)
    case .failedPrecondition
    where call == "DeleteWorkerDeploymentVersion" && message.lowercased().contains("poller"):
      return .versionHasPollers(message)
    case .unauthenticated, .permissionDenied:
      return .unauthenticated(message)
    case .deadlineExceeded:
      return .timedOut(call: call, seconds: deadline)
    // Only a connection never made sent nothing. One that dropped ("The TCP connection was
    // dropped unexpectedly.", "connection closed") may have carried the request first: that stays
    // a failure that may have acted.
    case .unavailable where Self.neverConnected.contains(where: message.contains):
      return .unreachable(
        tlsFailure(error.cause).map { scrubber.scrub($0) + "; " + message } ?? message)
    default:
      break
    }
    return .failed(call: call, code: error.code.description, message: message)
  }

  /// Why the TLS handshake failed, from the transport's cause. gRPC's own message then says only
  /// that the server closed the connection, when it was this client that refused the server's
  /// certificate (not signed by the trusted CA, or not naming the server name).
  static func tlsFailure(_ cause: (any Error)?) -> String? {
    var cause = cause
    while let rpc = cause as? RPCError { cause = rpc.cause }
    guard let cause, String(reflecting: cause).contains("NIOSSL") else { return nil }
    let text = firstLine(String(describing: cause))
    // NIOSSLExtraError.failedToValidateHostname: "Couldn't find NAME in certificate from peer"
    if text.contains("failedToValidateHostname"), let find = text.firstRange(of: "find "),
      let end = text[find.upperBound...].firstRange(of: " in certificate")
    {
      let name = text[find.upperBound..<end.lowerBound]
      return name == "<none>"
        ? "the server's TLS certificate does not name the address dialled (set the TLS server name to a name it has)"
        : "the server's TLS certificate does not name \(name)"
    }
    // BoringSSL: "... SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at <file>:<line>"
    if let range = text.firstRange(of: "OPENSSL_internal:") {
      let reason = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
      if reason == "CERTIFICATE_VERIFY_FAILED" {
        return
          "the server's TLS certificate did not verify (CERTIFICATE_VERIFY_FAILED: is the server CA right?)"
      }
      return "the TLS handshake failed (\(reason))"
    }
    return "the TLS handshake failed (\(text))"
  }

  private static func firstLine(_ text: String) -> String {
    String(text.split(whereSeparator: \.isNewline).first ?? "")
  }
}
