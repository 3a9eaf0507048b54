public import Foundation

extension DecisionPolicy {
  /// Reads a policy file and checks every name in it, so nothing malformed reaches the journal.
  ///
  /// Beyond ``parse(_:name:)``: each Workflow Type and target build follows ``TemporalNames``, and
  /// each rationale follows ``Rationale``.
  public static func checked(_ data: Data, name: String) throws(InputError) -> DecisionPolicy {
    let policy = try parse(data, name: name)
    for (type, rule) in policy.workflowTypes.sorted(by: { $0.key < $1.key }) {
      do {
        _ = try TemporalNames.workflowType(type)
        if let build = rule.targetBuild { _ = try TemporalNames.buildID(build, role: "target") }
        if let rationale = rule.rationale { _ = try Rationale.validate(rationale) }
        if let statuses = rule.closedStatuses { _ = try ClosedStatuses.checked(statuses) }
      } catch {
        throw InputError(
          "policy file \(name) is not a valid decision policy: \(String(describing: error))")
      }
    }
    return policy
  }
}
