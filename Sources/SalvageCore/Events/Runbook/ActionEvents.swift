/// An action that changes Temporal is about to run: recorded and committed before it runs.
///
/// With no outcome after it, the action is *in doubt*: a repeatable one is abandoned and run
/// again; a run-once one is reconciled from the server before anything else runs.
public struct ActionStarted: EventPayload {
  public static let typeName = "ActionStarted"
  public static let schemaVersion = 1

  /// Unique within the incident, such as `reset-closed-2`; part of the identity.
  public let action: String
  public let step: RunbookStep
  /// What it acts on: the Workflow Type of a recovery, the chunk number of a closed reset.
  public let subject: String?
  public let safety: SafetyClass
  /// The `temporal` command that does the same thing, secrets redacted.
  public let command: [String]
  /// `salvage/<incident>/<action>`, sent as the request's identity.
  public let identity: String
  /// The batch job id salvage chose, recorded before the batch is sent: after a crash,
  /// `DescribeBatchOperation` of this id settles whether it started.
  public let batchJob: String?
  /// The request as sent, in the API's JSON form, secrets redacted.
  public let request: String?
  /// Who sets the pace of the work: salvage's own (`--rps`, at most so many at once) or the
  /// server's batcher.
  public let pace: String?

  public init(
    action: String, step: RunbookStep, subject: String? = nil, safety: SafetyClass,
    command: [String],
    identity: String, batchJob: String? = nil, request: String? = nil, pace: String? = nil
  ) {
    self.action = action
    self.step = step
    self.subject = subject
    self.safety = safety
    self.command = command
    self.identity = identity
    self.batchJob = batchJob
    self.request = request
    self.pace = pace
  }
}

/// The action ran and the server accepted it.
public struct ActionSucceeded: EventPayload {
  public static let typeName = "ActionSucceeded"
  public static let schemaVersion = 1

  public let action: String
  /// The batch job it launched, if it launched one.
  public let batchJob: String?

  public init(action: String, batchJob: String? = nil) {
    self.action = action
    self.batchJob = batchJob
  }
}

/// The action ran and failed.
public struct ActionFailed: EventPayload {
  public static let typeName = "ActionFailed"
  public static let schemaVersion = 1

  public let action: String
  /// The first line of the error, secrets redacted.
  public let message: String

  public init(action: String, message: String) {
    self.action = action
    self.message = message
  }
}

/// A repeatable action was found in doubt after a crash and will simply run again.
public struct ActionAbandoned: EventPayload {
  public static let typeName = "ActionAbandoned"
  public static let schemaVersion = 1

  public let action: String
  public let reason: String

  public init(action: String, reason: String) {
    self.action = action
    self.reason = reason
  }
}

/// A run-once action found in doubt was checked against the server.
public struct ActionReconciled: EventPayload {
  public static let typeName = "ActionReconciled"
  public static let schemaVersion = 1

  /// Whether the server shows the action took effect.
  public let tookEffect: Bool
  public let action: String
  /// The batch job found by identity, when one was.
  public let batchJob: String?
  /// What was looked at, in words (`BatcherUser` search, `resetRunId` of N runs).
  public let evidence: String

  public init(action: String, tookEffect: Bool, batchJob: String?, evidence: String) {
    self.action = action
    self.tookEffect = tookEffect
    self.batchJob = batchJob
    self.evidence = evidence
  }
}
