extension RunbookRunner.ActionPerformer {
  /// Before a reset round after the first. The server's batcher resets every run the round's query
  /// lists, without looking at it again, and the query is only as fresh as visibility: a run an
  /// earlier round reset may still be listed Running on the bad build, and a second reset of it
  /// would terminate the run the first one made. So every run the query lists now is described on
  /// the server; while any of them is no longer a target there (reset, terminated, closed, moved
  /// to another version), the round waits for visibility to catch up, for
  /// ``RunbookRunner/Timing/visibilityWait`` at most, then stops and says so.
  mutating func awaitVisibility(
    agreeingOn query: VisibilityQuery, _ type: String, bad: WorkerDeploymentVersion
  ) async throws -> RunbookRunner.StopReason? {
    let timing = dependencies.timing
    var waited = 0.0
    while true {
      var listed: [WorkflowExecutionSummary] = []
      try await temporal.list(query) { listed.append($0) }
      guard let moved = try await firstMovedOnTheServer(listed, bad: bad) else { return nil }
      if waited == 0 {
        dependencies.notice(
          .visibilityBehind(workflowType: type, listed: listed.count, moved: moved))
      }
      guard waited < timing.visibilityWait else {
        return .blocked(
          "visibility still lists runs of \(type) as Running on \(bad) that the server shows "
            + "moved (\(moved)) after \(Int(waited)) s of waiting; another round now would reset "
            + "them again: run again once visibility has caught up")
      }
      dependencies.progress(.visibility(workflowType: type, waited: Int(waited)))
      try await dependencies.clock.sleep(for: .seconds(timing.poll))
      waited += timing.poll
      try keepLease()
    }
  }

  /// The first listed run (in the order the describes answer) that the server shows is no longer
  /// Running on `bad` as its workflow id's current run, said as "wf-1 (run r1) is Terminated", or
  /// `nil` when the server agrees on every one. Described at salvage's own pace; the sweep stops
  /// at the first such run.
  func firstMovedOnTheServer(_ listed: [WorkflowExecutionSummary], bad: WorkerDeploymentVersion)
    async throws -> String?
  {
    struct Moved: Error { let run: String }
    let temporal = self.perRun
    let width = dependencies.timing.concurrency
    do {
      _ = try await tellingRefusals("checking visibility against the server") {
        try await paced(listed, width: width) { summary in
          let current = try await temporal.describeWorkflow(id: summary.workflowID, runID: nil)
          let run = "\(summary.workflowID) (run \(summary.runID))"
          if current.runID != summary.runID {
            throw Moved(run: "\(run) is no longer current: its current run is \(current.runID)")
          }
          if current.status != .running {
            throw Moved(run: "\(run) is \(current.status?.rawValue ?? "of unknown status")")
          }
          // Moved by an override, a run's own version stays the bad build until a task
          // completes elsewhere: where its tasks go now is what counts.
          if current.effectiveVersion != bad {
            throw Moved(
              run: "\(run) is on \(current.effectiveVersion?.description ?? "no version")")
          }
        }
      }
      return nil
    } catch let moved as Moved {
      return moved.run
    }
  }
}
