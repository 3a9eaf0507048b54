public import Foundation

extension StrategyDecided {
  /// Builds a checked decision for one Workflow Type of an incident.
  ///
  /// A restartable type goes back to the good build; any other needs a replay-safe build that is
  /// neither the bad build nor empty. The closed statuses chosen for its closed runs are recorded
  /// with it, the default ones when none were chosen.
  public static func make(
    workflowType: String, restartable: Bool, corrupted: Bool, replaySafeBuild: String?,
    incident details: IncidentState.Details, source: DecisionSource, rationale: String,
    closedStatuses: [ExecutionStatus] = ClosedStatuses.default, restart: Bool = false,
    oneTimeOverride: Bool = false
  ) throws(InputError) -> StrategyDecided {
    // A restart replaces the executions: whether they could re-execute from their start no longer
    // matters, nor their state, so it is recorded as restartable.
    let strategy =
      restart
      ? .terminateAndRestart : Strategy.choose(restartable: restartable, corrupted: corrupted)
    let target: String
    if strategy.needsReplaySafeBuild {
      guard let build = replaySafeBuild, !build.isEmpty else {
        throw InputError(
          "\(workflowType) is not restartable: name a replay-safe build with --target-build "
            + "(\(strategy.rawValue))")
      }
      target = try TemporalNames.buildID(build, role: "replay-safe")
    } else {
      target = replaySafeBuild ?? details.goodBuild
    }
    guard target != details.badBuild else {
      throw InputError("the target build of \(workflowType) is the bad build \(Quoted(target))")
    }
    let why = rationale.trimmingCharacters(in: .whitespacesAndNewlines)
    return StrategyDecided(
      workflowType: workflowType, restartable: restart || restartable, corrupted: corrupted,
      strategy: strategy,
      targetBuild: target, source: source, rationale: why.isEmpty ? "no rationale given" : why,
      closedStatuses: closedStatuses, oneTimeOverride: oneTimeOverride)
  }
}

/// A policy file checked into a service's repository: what its owners declare per Workflow Type.
///
/// ```json
/// { "workflowTypes": {
///     "OrderWorkflow":   { "restartable": true, "rationale": "idempotent from the start" },
///     "PaymentWorkflow": { "restartable": false, "corrupted": false, "targetBuild": "v3",
///                          "closedStatuses": ["Failed", "TimedOut", "Completed"] },
///     "ReportWorkflow":  { "restartable": true, "restart": true,
///                          "rationale": "stateless: a new run with the same input is enough" } } }
/// ```
public struct DecisionPolicy: Decodable, Equatable, Sendable {
  public struct Rule: Decodable, Equatable, Sendable {
    public let restartable: Bool
    public let corrupted: Bool?
    public let targetBuild: String?
    public let rationale: String?
    /// The closed statuses whose runs are reset (``ClosedStatuses``); the default when absent.
    public let closedStatuses: [String]?
    /// Terminate and restart the type's executions (the runbook's fifth row) instead.
    public let restart: Bool?
    /// Move its Running executions with one-time Versioning Overrides (servers 1.32+).
    public let oneTimeOverride: Bool?
  }

  public let workflowTypes: [String: Rule]

  /// Reads a policy from JSON, with a one-line error naming what is wrong.
  public static func parse(_ data: Data, name: String) throws(InputError) -> DecisionPolicy {
    do {
      return try JSONDecoder().decode(DecisionPolicy.self, from: data)
    } catch {
      throw InputError(
        "policy file \(name) is not a valid decision policy: \(decodingFailure(error))")
    }
  }

  /// The decision the policy makes for a type, or `nil` when it says nothing about it.
  public func decision(
    for workflowType: String, incident details: IncidentState.Details, file: String
  )
    throws(InputError) -> StrategyDecided?
  {
    guard let rule = workflowTypes[workflowType] else { return nil }
    var closedStatuses = ClosedStatuses.default
    if let names = rule.closedStatuses { closedStatuses = try ClosedStatuses.checked(names) }
    return try StrategyDecided.make(
      workflowType: workflowType, restartable: rule.restartable, corrupted: rule.corrupted ?? false,
      replaySafeBuild: rule.targetBuild, incident: details, source: .policyFile,
      rationale: "\(file): " + (rule.rationale ?? "declared by the service's owners"),
      closedStatuses: closedStatuses, restart: rule.restart ?? false,
      oneTimeOverride: rule.oneTimeOverride ?? false)
  }
}
