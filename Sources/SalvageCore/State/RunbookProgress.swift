import Crypto

/// What the runbook's events say so far: actions and their outcomes, and the evidence each
/// phase gate needs. Part of ``IncidentState``, folded by `IncidentState+Runbook.swift`.
public struct RunbookProgress: Codable, Equatable, Sendable {
  /// How an action ended. Raw values are stored in checkpoints.
  public enum Outcome: String, Codable, Sendable {
    case succeeded
    case failed
    /// A repeatable action found in doubt; it runs again under a new id.
    case abandoned
    /// A run-once action found in doubt that the server shows took effect.
    case tookEffect = "took-effect"
    /// A run-once action found in doubt that the server shows never started.
    case notStarted = "not-started"

    /// Whether the action's effect happened.
    public var isDone: Bool { self == .succeeded || self == .tookEffect }
  }

  /// One action with its intent and, once known, its outcome.
  public struct Action: Codable, Equatable, Sendable {
    public let id: String
    public let step: RunbookStep
    public let subject: String?
    public let safety: SafetyClass
    public let command: [String]
    public let identity: String
    public let startedAt: UTCTime
    public var outcome: Outcome?
    public var batchJob: String?
    public var message: String?
    public var endedAt: UTCTime?

    /// Started, with no outcome recorded: the process died in between.
    public var isInDoubt: Bool { outcome == nil }
  }

  /// Every action, in the order started.
  public internal(set) var actions: [Action] = []
  /// The latest routing observation.
  public internal(set) var rollout: RolloutObserved?
  /// True when a stop action succeeded after the latest observation: re-describe before trusting it.
  public internal(set) var rolloutChangedSinceObservation = false
  public internal(set) var identification: AffectedExecutionsIdentified?
  /// The id of the identification's event, which names the identified executions in the journal.
  public internal(set) var identificationEvent: EventID?
  /// The latest decision per Workflow Type.
  public internal(set) var decisions: [String: StrategyDecided] = [:]
  /// Per recovery action, the decision in force when its intent was recorded: an in-doubt round is
  /// settled by its own decision, whatever was decided since.
  public internal(set) var roundDecisions: [String: StrategyDecided] = [:]
  /// The latest progress per action with a batch.
  public internal(set) var batches: [String: BatchProgressed] = [:]
  public internal(set) var drainage: DrainageObserved?
  public internal(set) var closedTargets: ClosedTargetsFrozen?
  /// The id of the `ClosedTargetsFrozen` event, which names the frozen runs in the journal.
  public internal(set) var closedTargetsEvent: EventID?
  /// Per closed-reset action, what happened to each of its runs.
  public internal(set) var closedResets: [String: [RunResetOutcome]] = [:]
  /// Every review `salvage unpin` made, oldest first, with the event naming its runs to unpin.
  public internal(set) var overrideReviews: [OverrideReview] = []
  /// The latest restart freeze per Workflow Type.
  public internal(set) var restartFreezes: [String: RestartFreeze] = [:]
  /// Per restart round (a run-once recovery action), what happened to each of its runs.
  public internal(set) var restarts: [String: [RunResetOutcome]] = [:]
  /// Per restart round that started something again, when it acted on the server's clock.
  public internal(set) var restartStartedAt: [String: UTCTime] = [:]
  /// The restart rounds that left every run of their freeze settled. A round covers one chunk of
  /// its freeze (the runs no round since the freeze settled, at most a chunk's worth), so only the
  /// last one settles the whole freeze and recovers the type.
  public internal(set) var restartRoundsSettlingFreeze: Set<String> = []
  public internal(set) var pollers: PollersChecked?
  public internal(set) var versionDeleted = false
  /// salvage's custody of the deployment's manager identity, once it took it from a controller.
  public internal(set) var manager: ManagerCustody?

  public init() {}

  /// When the latest recovery that moved something started, as the server reported it (the
  /// batch's start time; the action's end in the journal for batches recorded without one).
  ///
  /// Drainage is sticky: once `drained`, the server stops refreshing `lastCheckedTime`, so the
  /// gate compares with the *start* of the last batch that moved something. A batch that matched
  /// nothing changed nothing on the server and does not count.
  public var lastRecoveryAt: UTCTime? {
    actions.lazy.filter { action in
      action.step == .recover && action.outcome?.isDone == true
        && self.batches[action.id].map { !$0.finished || $0.total > 0 } ?? true
        && (self.restarts[action.id] == nil || self.restartStartedAt[action.id] != nil)
    }.compactMap { self.batches[$0.id]?.startedAt ?? self.restartStartedAt[$0.id] ?? $0.endedAt }
      .max()
  }

  /// One `salvage unpin` review and the event that names its runs to unpin.
  public struct OverrideReview: Codable, Equatable, Sendable {
    public let event: EventID
    public let review: OverridesReviewed
  }

  /// One freeze of a type's Running executions for a restart: its event (which names the runs), and
  /// how many recovery actions of the type came before it (the rounds after it restart its runs).
  public struct RestartFreeze: Codable, Equatable, Sendable {
    public let event: EventID
    public let frozen: RestartTargetsFrozen
    public let roundsBefore: Int
  }

  /// Whether the Running executions of `type` are recovered: a recovery took effect on all of its
  /// targets, or the type's latest restart freeze, taken after every recovery so far, found none
  /// to restart (its refused runs are named, and left to the operator).
  public func isRecovered(_ type: String) -> Bool {
    if let freeze = restartFreezes[type], freeze.frozen.count == 0,
      freeze.roundsBefore == actions.filter({ $0.step == .recover && $0.subject == type }).count
    {
      return true
    }
    return isDone(.recover, subject: type)
  }

  /// The freeze a restart round of `type` works on now: the latest, unless a round after it took
  /// effect on all of its runs (then the next round freezes again). A round with failures keeps
  /// its freeze: a run terminated and never started again is not Running, and only the frozen set
  /// still names it.
  public func openRestartFreeze(_ type: String) -> RestartFreeze? {
    guard let freeze = restartFreezes[type] else { return nil }
    let rounds = actions.filter { $0.step == .recover && $0.subject == type }.dropFirst(
      freeze.roundsBefore)
    return rounds.contains(where: tookEffectOnAll) ? nil : freeze
  }

  /// The runs of `type`'s latest restart freeze that a round since it settled: restarted, found
  /// restarted, or left alone with a reason (anything but failed, which the next round takes
  /// again).
  public func settledRestartRuns(_ type: String) -> Set<String> {
    guard let freeze = restartFreezes[type] else { return [] }
    var settled = Set<String>()
    for round in actions.filter({ $0.step == .recover && $0.subject == type }).dropFirst(
      freeze.roundsBefore)
    {
      for outcome in restarts[round.id] ?? [] where outcome.result != .failed {
        settled.insert(outcome.runID)
      }
    }
    return settled
  }

  /// Actions started and never ended, oldest first.
  public var inDoubt: [Action] { actions.filter(\.isInDoubt) }

  /// Whether an action of `step` on `subject` has taken effect on all of its targets: its batch,
  /// if it has one, finished with nothing failed, and a closed-reset chunk has no run the server
  /// refused. Anything less is not done: the next round goes out (docs/design.md §6).
  public func isDone(_ step: RunbookStep, subject: String? = nil) -> Bool {
    actions.contains { $0.step == step && $0.subject == subject && tookEffectOnAll($0) }
  }

  /// Whether `action` took effect on every one of its targets.
  func tookEffectOnAll(_ action: Action) -> Bool {
    guard action.outcome?.isDone == true else { return false }
    if action.batchJob != nil { return batches[action.id]?.finishedCleanly == true }
    if let restarted = restarts[action.id] {
      return restartRoundsSettlingFreeze.contains(action.id)
        && !restarted.contains { $0.result == .failed }
    }
    return closedResets[action.id]?.contains { $0.result == .failed } != true
  }

  /// What did not take effect and is not done yet, for people: closed runs the server refused to
  /// reset (by workflow id and run id, with its reason), and recovery batches that ended with
  /// failures. A run refused once and reset later is not listed.
  public var failures: [Failure] {
    var latest: [String: RunResetOutcome] = [:]
    var order: [String] = []
    for action in actions where action.step == .resetClosed || action.step == .recover {
      for outcome in closedResets[action.id] ?? restarts[action.id] ?? [] {
        if latest.updateValue(outcome, forKey: outcome.runKey) == nil {
          order.append(outcome.runKey)
        }
      }
    }
    let runs = order.compactMap { latest[$0] }.filter { $0.result == .failed }.map {
      Failure(
        action: nil, workflowID: $0.workflowID, runID: $0.runID,
        reason: $0.reason ?? "no reason given")
    }
    let rounds = actions.filter { action in
      action.step == .recover && action.batchJob != nil
        && batches[action.id].map { $0.finished && !$0.finishedCleanly } == true
        && !isDone(.recover, subject: action.subject)
    }.compactMap { action -> Failure? in
      guard let batch = batches[action.id], let job = action.batchJob else { return nil }
      let reason =
        batch.state == .failed
        ? "batch \(job) failed as a whole"
        : "batch \(job): \(batch.failure) of \(batch.total) failed"
      return Failure(action: action.id, workflowID: nil, runID: nil, reason: reason)
    }
    return rounds + runs
  }

  /// One thing that did not take effect: a closed run, or a whole recovery round.
  public struct Failure: Codable, Equatable, Sendable {
    /// The recovery action whose batch ended with failures (the server does not say which).
    public let action: String?
    public let workflowID: String?
    public let runID: String?
    public let reason: String

    /// One line: `wf-1 (run 0f3a…): its reason`, or `recover-X-1: batch …`.
    public var line: String {
      if let workflowID { return "\(workflowID) (run \(runID ?? "?")): \(reason)" }
      return "\(action ?? "?"): \(reason)"
    }
  }

  /// The id for the next action of `step` on `subject`: `recover-OrderWorkflow-2` and the like.
  /// Distinct subjects always get distinct ids (see ``subjectStem(_:)``).
  public func nextActionID(_ step: RunbookStep, subject: String? = nil) -> String {
    let attempt = actions.filter { $0.step == step && $0.subject == subject }.count + 1
    let stem = subject.map { "\(step.rawValue)-\(Self.subjectStem($0))" } ?? step.rawValue
    return "\(stem)-\(attempt)"
  }

  /// Workflow Types with Running affected executions that have no decision yet.
  public var undecidedTypes: [String] {
    (identification?.runningTypes ?? []).filter { decisions[$0] == nil }
  }

  /// A subject's part of an action id, kept to letters, digits, `.`, `_` and `-`. A plain name
  /// (letters, digits, `_` and `-`, at most 64) is used as it is. Any other gets a readable prefix
  /// (unsafe characters as `_`, at most 40) and, after a `.` that plain names never contain, the
  /// first 16 hex digits of its SHA-256: `Order Workflow` and `Order_Workflow`, or two long names
  /// sharing a prefix, never share an id. The last `-` of an id always comes before the attempt.
  static func subjectStem(_ subject: String) -> String {
    let plain =
      subject.utf8.count <= 64 && !subject.isEmpty
      && subject.unicodeScalars.allSatisfy { scalar in
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": true
        default: false
        }
      }
    if plain { return subject }
    let readable = String(
      subject.unicodeScalars.prefix(40).map { scalar -> Character in
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-": Character(scalar)
        default: "_"
        }
      })
    let hash = Hex.lowercase(Array(SHA256.hash(data: Array(subject.utf8)).prefix(8)))
    return "\(readable).\(hash)"
  }
}
