import Foundation
import SalvageCore

/// A dry run's plan as `--dry-run` prints it: text for people, one JSON document with `--output json`.
struct PlanView {
  let incident: IncidentID
  let plan: DryRunPlan
  let outcome: RunbookRunner.StopReason
  let estimate: DryRunEstimate

  /// Where planning ended, in words; `nil` when it stopped for something the real run would stop
  /// for too (its message and exit status then follow).
  var ending: String? {
    switch outcome {
    case .finished: "the plan reaches the end of the runbook: the incident would be cleaned"
    case .reached(let phase):
      "the plan stops where the incident would reach \(phase.rawValue) (--until)"
    case .stepDone(let step): "the plan of step \(step.rawValue) ends here"
    case .unpinned(let done):
      "the overrides would be removed from \(done.unpinned) executions, \(done.leftPinned) left pinned "
        + "(salvage unpin --yes does it)"
    case .closed: "the incident is closed: nothing to plan"
    default: nil
    }
  }

  var text: String {
    var lines = [
      "Dry run of incident \(incident): nothing was changed. salvage would run, in order:"
    ]
    for step in plan.steps {
      let label = step.step.rawValue + (step.subject.map { " \($0)" } ?? "")
      lines.append(
        "  [\(label)] " + ShellQuoting.line(step.command)
          + (step.closedRun == nil ? "" : "  (provisional)"))
    }
    if plan.steps.isEmpty { lines.append("  (no change)") }
    if plan.closedRuns > 0 || plan.closedAlreadyReset > 0 {
      lines.append(
        "Closed runs to reset: \(plan.closedRuns) as visibility shows them now"
          + (plan.closedAlreadyReset > 0
            ? " (\(plan.closedAlreadyReset) already reset, left out)" : "")
          + "; \(DryRunPlan.provisionalNote).")
    }
    if !plan.awaitedPollers.isEmpty {
      lines.append(
        "Before deleting the bad version the real run waits for these workers to stop polling it: "
          + plan.awaitedPollers.joined(separator: ", ") + ".")
    }
    if case .unpinned = outcome, let review = plan.overrideReview {
      lines.append(
        "Review of the overrides, as the server shows them now: "
          + IncidentEvent.overridesReviewed(review).summary)
    }
    if let ending { lines.append("Then \(ending).") }
    lines += estimateLines
    return lines.joined(separator: "\n")
  }

  /// The estimate as a table, then its totals.
  var estimateLines: [String] {
    guard !estimate.rows.isEmpty else { return [] }
    let pace = estimate.pace
    var lines = [
      "Estimate at the server's published pace (batches \(Int(pace.batcherPerSecond)) Workflows/s, "
        + "one at a time; salvage's own per-run calls at \(Self.number(pace.callsPerSecond))/s "
        + "(--rps); drainage checked every 3 min after a 3 min grace; a stopped worker forgotten "
        + "5 min after its last poll):"
    ]
    let width = max(estimate.rows.map(\.label.count).max() ?? 0, 5)
    for row in estimate.rows {
      let label = VisibleText.flat(row.label).padding(toLength: width, withPad: " ", startingAt: 0)
      lines.append(
        row.isWait
          ? "  \(label)  up to \(ProgressLine.clock(row.seconds))"
          : "  \(label)  \(row.calls) calls, about \(ProgressLine.clock(row.seconds.rounded(.up))), "
            + "\(row.actions) Actions")
    }
    lines.append(
      "  Total: \(estimate.calls) calls, about \(ProgressLine.clock(estimate.seconds.rounded(.up))) "
        + "(of which up to \(ProgressLine.clock(estimate.waitSeconds)) waiting on the server's clocks), "
        + "\(estimate.actions) Temporal Cloud Actions.")
    return lines
  }

  func json() throws -> String {
    let steps: [[String: Any]] = plan.steps.map { step in
      var entry: [String: Any] = [
        "action": step.action, "step": step.step.rawValue,
        "subject": step.subject.map { $0 as Any } ?? NSNull(),
        "safety": step.safety.rawValue, "command": step.command,
        "request": (try? JSONSerialization.jsonObject(with: Data(step.request.utf8)))
          ?? (step.request as Any),
      ]
      if let run = step.closedRun {
        entry["closedRun"] = ["workflowId": run.workflowID, "runId": run.runID]
        entry["provisional"] = true
      }
      return entry
    }
    var document: [String: Any] = [
      "incident": incident.rawValue, "dryRun": true, "steps": steps,
      "closedRuns": [
        "count": plan.closedRuns, "alreadyReset": plan.closedAlreadyReset,
        "provisional": DryRunPlan.provisionalNote,
      ],
      "awaitedPollers": plan.awaitedPollers,
      "outcome": outcomeName,
      "estimate": [
        "rows": estimate.rows.map { row -> [String: Any] in
          [
            "label": row.label, "calls": row.calls, "seconds": row.seconds.rounded(.up),
            "actions": row.actions, "wait": row.isWait,
          ]
        },
        "calls": estimate.calls, "seconds": estimate.seconds.rounded(.up),
        "waitSeconds": estimate.waitSeconds, "actions": estimate.actions,
        "callsPerSecond": estimate.pace.callsPerSecond,
        "batcherPerSecond": estimate.pace.batcherPerSecond,
      ],
    ]
    if let ending { document["ending"] = ending }
    let data = try JSONSerialization.data(
      withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    return VisibleText.jsonSafe(String(decoding: data, as: UTF8.self))
  }

  /// `50`, or `12.5`.
  static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  var outcomeName: String {
    switch outcome {
    case .finished: "finished"
    case .reached(let phase): "reached \(phase.rawValue)"
    case .closed: "closed"
    case .needsDecision: "needs-decision"
    case .needsPollersGone: "needs-pollers-gone"
    case .blocked: "blocked"
    case .declined: "declined"
    case .stepDone: "step-done"
    case .notReady: "not-ready"
    case .unpinned: "unpinned"
    }
  }
}
