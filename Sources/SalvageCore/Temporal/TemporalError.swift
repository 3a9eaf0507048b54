/// Why a call to Temporal failed, with a one-line message an operator can act on.
///
/// Every message is scrubbed of the connection's secrets before it is built into one of these.
public enum TemporalError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The server cannot be reached at the configured address (nothing was sent).
  case unreachable(String)
  /// The server refused the credentials (a wrong or missing API key or client certificate).
  case unauthenticated(String)
  /// No such Worker Deployment.
  case deploymentNotFound(String)
  /// No such Worker Deployment Version.
  case versionNotFound(String)
  /// No such Workflow Execution.
  case workflowNotFound(String)
  /// The server refused the visibility query.
  case invalidQuery(String)
  /// Another batch occupies the namespace's batch slots (checked before the job id is).
  case batchLimitReached
  /// No batch job with that id.
  case batchNotFound(String)
  /// A start under an id that already exists (a batch job id, a workflow id).
  case alreadyExists(String)
  /// The version still has pollers, so it cannot be deleted.
  case versionHasPollers(String)
  /// The deployment is managed by another identity (`manager_identity`), which alone may change it.
  case managedBy(deployment: String, identity: String)
  /// The namespace's rate limit refused the call (`RESOURCE_EXHAUSTED`) before it acted: slow down
  /// and send it again.
  case rateLimited(call: String, message: String)
  /// The namespace's rate limit refused every call of its kind for `seconds` (salvage's patience):
  /// this one is given up, not sent again; a later run tries again.
  case refusedTooLong(call: String, seconds: Int, message: String)
  /// A stop change was not sent: the deployment no longer routes as the observation it was
  /// decided on said (someone changed it since).
  case routingChanged(since: RolloutObserved, now: RolloutObserved)
  /// The call did not finish within its deadline: the server may or may not have acted.
  case timedOut(call: String, seconds: Double)
  /// Any other failure, with the gRPC status code's name.
  case failed(call: String, code: String, message: String)
  /// The server's answer lacked something salvage needs.
  case unexpectedResponse(call: String, reason: String)

  /// Whether the server may have acted although the call failed: a change that fails so is in
  /// doubt until a read settles it.
  public var mayHaveActed: Bool {
    switch self {
    case .timedOut: true
    case .failed(_, let code, _):
      ["unavailable", "unknown", "cancelled", "internalError"].contains(code)
    default: false
    }
  }

  /// The server could not be reached: no connection was made, so the call was never sent (a
  /// connection that dropped with the call on it is a failure that ``mayHaveActed``).
  public var isUnreachable: Bool {
    if case .unreachable = self { return true }
    return false
  }

  /// Whether a read about one run failed for that run's own reason (gone, its history
  /// unreadable or unexpected), not for the server's trouble (out of reach, late, refusing, the
  /// credentials, a connection dropped): another run may still be read.
  public var isTheRunsOwn: Bool {
    switch self {
    case .unreachable, .timedOut, .rateLimited, .refusedTooLong, .unauthenticated: false
    case .failed(_, let code, _): !["unavailable", "cancelled", "deadlineExceeded"].contains(code)
    default: true
    }
  }

  /// The namespace's rate limit refused every call of its kind for salvage's whole patience.
  public var isRefusedTooLong: Bool {
    if case .refusedTooLong = self { return true }
    return false
  }

  /// The namespace's rate limit refused the call before it acted (RESOURCE_EXHAUSTED).
  public var isRateLimited: Bool {
    if case .rateLimited = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .unreachable(let message): "Temporal server unreachable: \(message)"
    case .unauthenticated(let message): "Temporal refused the credentials: \(message)"
    case .deploymentNotFound(let message): "Worker Deployment not found: \(message)"
    case .versionNotFound(let message): "Worker Deployment Version not found: \(message)"
    case .workflowNotFound(let message): "Workflow Execution not found: \(message)"
    case .invalidQuery(let message): "invalid visibility query: \(message)"
    case .batchLimitReached:
      "another batch operation is running in this namespace (Max concurrent batch operations is reached)"
    case .batchNotFound(let message): "batch job not found: \(message)"
    case .alreadyExists(let message): "already exists: \(message)"
    case .versionHasPollers(let message): "version still has pollers: \(message)"
    case .managedBy(let deployment, let identity):
      "Worker Deployment \(deployment) is managed by '\(identity)' (its manager_identity): change it "
        + "through that controller, or clear the manager identity first"
    case .rateLimited(let call, let message):
      "\(call) was refused by the namespace's rate limit: \(message)"
    case .refusedTooLong(let call, let seconds, let message):
      "the namespace's rate limit refused \(call), and every call like it, for "
        + "\(Self.seconds(Double(seconds))) (\(message)): salvage stopped sending it; run again "
        + "once the namespace has room, or ask for a higher limit"
    case .routingChanged(let observed, let described):
      "the deployment's routing changed since it was observed (\(observed.routing)); it is \(described.routing) now"
    case .timedOut(let call, let seconds): "\(call) did not answer within \(Self.seconds(seconds))"
    case .failed(let call, let code, let message): "\(call) failed (\(code)): \(message)"
    case .unexpectedResponse(let call, let reason): "unexpected answer to \(call): \(reason)"
    }
  }

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
  }
}
