extension RunbookRunner.Step {
  /// Before a reset round after the first. The server's batcher resets every run the round's query
  /// lists, without looking at it again, and the query is only as fresh as visibility: a run an
  /// earlier round reset may still be listed Running on the bad build, and a second reset of it
  /// would terminate the run the first one made. So every run the query lists now is described on
  /// the server; while any of them is no longer a target there (reset, terminated, closed, moved
  /// to another version), the round waits for visibility to catch up, for
  /// ``RunbookRunner/Timing/visibilityWait`` at most, then stops and says so.
  mutating func awaitVisibility(
    agreeingOn query: VisibilityQuery, _ type: String, bad: WorkerDeploymentVersion,
    in state: inout IncidentState
  ) async throws -> RunbookRunner.Stop? {
    let timing = dependencies.timing
    var waited = 0.0
    while true {
      var listed: [WorkflowExecutionSummary] = []
      try await temporal.list(query) { listed.append($0) }
      let moved = try await movedOnTheServer(listed, bad: bad)
      guard let example = moved.first else { return nil }
      if waited == 0 {
        dependencies.notice(
          .visibilityBehind(workflowType: type, listed: listed.count, moved: moved.count))
      }
      guard waited < timing.visibilityWait else {
        return .blocked(
          "visibility still lists \(moved.count) runs of \(type) as Running on \(bad) that the "
            + "server shows moved (\(example)) after \(Int(waited)) s; another round now would "
            + "reset them again: run again once visibility has caught up")
      }
      dependencies.progress(
        .visibility(workflowType: type, behind: moved.count, waited: Int(waited)))
      try await dependencies.clock.sleep(for: .seconds(timing.poll))
      waited += timing.poll
      try keepLease(in: &state)
    }
  }

  /// The listed runs that the server shows are no longer Running on `bad` as their workflow id's
  /// current run, each said as "wf-1 (run r1) is Terminated, its current run is r2". Described at
  /// salvage's own pace.
  func movedOnTheServer(_ listed: [WorkflowExecutionSummary], bad: WorkerDeploymentVersion)
    async throws -> [String]
  {
    let temporal = self.temporal
    let timing = dependencies.timing
    let described = try await paced(
      listed, width: timing.concurrency, perSecond: timing.runsPerSecond,
      clock: dependencies.clock
    ) { summary -> String? in
      let current = try await temporal.describeWorkflow(id: summary.workflowID, runID: nil)
      let run = "\(summary.workflowID) (run \(summary.runID))"
      if current.runID != summary.runID {
        return "\(run) is no longer current: its current run is \(current.runID)"
      }
      if current.status != .running {
        return "\(run) is \(current.status?.rawValue ?? "of unknown status")"
      }
      if current.deploymentVersion != bad {
        return "\(run) is on \(current.deploymentVersion?.description ?? "no version")"
      }
      return nil
    }
    return described.compactMap { $0 }
  }
}
