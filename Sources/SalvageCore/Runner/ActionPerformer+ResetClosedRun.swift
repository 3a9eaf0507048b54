extension RunbookRunner.ActionPerformer {
  /// Before an interrupted chunk's runs are reset: its run may have sent resets just before it
  /// died whose answers it never saw, and the server may still carry them out until their
  /// deadline has passed (it does not de-duplicate a reset). While the check finds runs of the
  /// chunk not reset yet, they are looked at again every poll, and nothing is sent to them, until
  /// ``RunbookRunner/Timing/perRunLostAnswerWindow`` has passed from the first look; then each
  /// run is checked again just before its reset, as always, and a late reset is found there.
  func waitOutLostResets(
    _ runs: [ExecutionRecord], action id: String, resettable: [String: [ExecutionStatus]],
    bad: WorkerDeploymentVersion
  ) async throws {
    let (temporal, timing, clock) = (self.perRun, dependencies.timing, dependencies.clock)
    var (pending, waited, told) = (runs, 0.0, false)
    while true {
      let (left, took) = try await timed(on: clock) {
        try await keepingLease {
          try await paced(pending, width: timing.concurrency) { run in
            // A run that cannot be read stays pending; a lost hold or a cancellation stops all.
            let found: RunResetOutcome?
            do {
              found = try await Self.check(
                run, resettable: resettable[run.workflowType] ?? ClosedStatuses.default, bad: bad,
                temporal: temporal)
            } catch is TemporalError {
              found = nil
            }
            return found == nil ? run : nil
          }
        }.compactMap { $0 }
      }
      pending = left
      waited += took / .seconds(1)
      guard !pending.isEmpty, waited < timing.perRunLostAnswerWindow else { return }
      if !told {
        told = true
        dependencies.notice(
          .waitingOutLostResets(
            action: id, runs: pending.count, seconds: timing.perRunLostAnswerWindow - waited))
      }
      try await clock.sleep(for: .seconds(timing.poll))
      waited += timing.poll
      try keepLease()
    }
  }

  /// One run: the check just before (it must still be its workflow id's current run, closed in a
  /// status chosen for its type, `resettable`, on the bad version, never reset), then the reset.
  ///
  /// A reset whose answer was lost (the connection dropped, the deadline passed) may still take
  /// effect until its deadline has passed, and the server does not de-duplicate a reset by its
  /// request id: a second one would terminate the run the first made. So after a lost answer the
  /// run is checked again until ``RunbookRunner/Timing/perRunLostAnswerWindow`` has passed, and only a
  /// reset still not found by then is sent again, three resets at most. `mayAct` is asked just
  /// before each reset. A run whose check then cannot be read is not given up before that window
  /// has passed and it was looked at once more: a run failed at once could be reset again by the
  /// next run before the lost reset lands.
  static func resetOne(
    _ run: ExecutionRecord, resettable: [ExecutionStatus], bad: WorkerDeploymentVersion,
    good: WorkerDeploymentVersion,
    context: ChangeContext, temporal: PerRunTemporalClient, clock: any Clock<Duration>,
    timing: RunbookRunner.Timing, mayAct: RunbookRunner.MayAct
  ) async throws -> RunResetOutcome {
    let check = { try await Self.check(run, resettable: resettable, bad: bad, temporal: temporal) }
    var lost: TemporalError?
    var (sent, readFailures) = (0, 0)
    // Once a reset's answer was lost, the run is given up only after the window was waited out.
    var waitedOut = false
    func mayGiveUp() async -> Bool {
      guard lost != nil, !waitedOut else { return true }
      waitedOut = true
      try? await clock.sleep(for: .seconds(timing.perRunLostAnswerWindow))
      return false
    }
    func failed(_ reason: String) -> RunResetOutcome {
      run.outcome(
        .failed,
        lost == nil
          ? reason
          : "\(reason); a reset sent before was not answered (\(lost?.description ?? "")) and "
            + "was not found within \(Int(timing.perRunLostAnswerWindow)) s")
    }
    while true {
      var sending = false
      do {
        var settled = try await check()
        if settled == nil, lost != nil {
          // The lost reset may still land: look again until its deadline has passed.
          var waited = 0.0
          while settled == nil, waited < timing.perRunLostAnswerWindow {
            try await clock.sleep(for: .seconds(timing.poll))
            waited += timing.poll
            settled = try await check()
          }
        }
        if let settled {
          // After a lost answer, a reset the check finds is this action's own when the run it
          // made carries this action's reason (the server may put the requester before it), or
          // says nothing: anyone else's stays theirs.
          guard let lost, settled.result == .alreadyReset, let newRun = settled.newRunID else {
            return settled
          }
          let origin = try? await temporal.resetOrigin(
            workflowID: run.workflowID, newRunID: newRun)
          guard origin?.reason.map({ $0.contains(context.reason) }) ?? true else { return settled }
          return run.outcome(
            .reset, new: newRun, "its answer was lost (\(lost)); the check found it")
        }
        guard sent < 3 else {
          return run.outcome(
            .failed,
            "three resets' answers were lost (\(lost?.description ?? "")) and none took effect "
              + "within \(Int(timing.perRunLostAnswerWindow)) s")
        }
        guard try mayAct() == .act else { return run.notSentAfterClose() }
        sending = true
        sent += 1
        guard
          let result = try await temporal.perform(
            .resetRun(
              workflowID: run.workflowID, runID: run.runID, pinTo: good,
              requestID: "\(context.identity)/\(run.runID)"),
            context: context, mayAct: mayAct)
        else { return run.notSentAfterClose() }
        guard case .reset(let newRun) = result else {
          return run.outcome(.failed, "the reset answered no new run")
        }
        return run.outcome(.reset, new: newRun)
      } catch let error as TemporalError where error.isRateLimited {
        // Refused before it acted (the limiter has slowed down): not one of the three resets;
        // the run is checked again, and its turn asked again, before the next.
        if sending { sent -= 1 }
      } catch let error as TemporalError where error.mayHaveActed && sending {
        lost = error
        try? await clock.sleep(for: .milliseconds(200))
      } catch let error as TemporalError where error.mayHaveActed || error.isUnreachable {
        // A read that failed, or a reset never sent (no connection): nothing can land later, so
        // no lost-answer wait; a few tries, then the run fails.
        if sending { sent -= 1 }
        readFailures += 1
        if readFailures >= 3 {
          guard await mayGiveUp() else {
            readFailures = 0
            continue
          }
          return failed(error.description)
        }
        try? await clock.sleep(for: .milliseconds(200))
      } catch let error as TemporalError {
        guard await mayGiveUp() else { continue }
        return failed(error.description)
      }
      // Anything else (a lost lease, the journal failing, cancellation) stops the action: it is
      // not this run's outcome.
    }
  }

  /// A run found already reset, with when and why as the run the reset made records it:
  /// `already reset to R at T (root: by hand)`.
  static func alreadyReset(
    _ run: ExecutionRecord, to reset: String, temporal: any TemporalClient
  ) async throws -> RunResetOutcome {
    let origin = try await temporal.resetOrigin(workflowID: run.workflowID, newRunID: reset)
    let described = origin?.described ?? ""
    return run.outcome(
      .alreadyReset, new: reset,
      "already reset to \(reset)" + (described.isEmpty ? "" : " \(described)"))
  }

  /// What the check finds before a reset: `nil` when the run is still a target, else its outcome.
  ///
  /// Being its workflow id's current run comes first: with Terminated chosen, it is what keeps
  /// salvage from resetting the runs its own recovery terminated (each has a newer current run).
  static func check(
    _ run: ExecutionRecord, resettable: [ExecutionStatus], bad: WorkerDeploymentVersion,
    temporal: any TemporalClient
  ) async throws -> RunResetOutcome? {
    let current = try await temporal.describeWorkflow(id: run.workflowID, runID: nil)
    if current.runID != run.runID {
      let target = try await temporal.describeWorkflow(id: run.workflowID, runID: run.runID)
      if let reset = target.resetRunID {
        return try await alreadyReset(run, to: reset, temporal: temporal)
      }
      return run.outcome(
        .leftAlone,
        "no longer its workflow id's current run (the current run \(current.runID) is "
          + "\(current.status?.rawValue ?? "unknown"))")
    }
    if let reset = current.resetRunID {
      return try await alreadyReset(run, to: reset, temporal: temporal)
    }
    guard let status = current.status, resettable.contains(status) else {
      return run.outcome(
        .leftAlone,
        "it is \(current.status?.rawValue ?? "of unknown status"), not "
          + "\(ClosedStatuses.list(resettable)) (chosen for \(run.workflowType))")
    }
    guard current.effectiveVersion == bad else {
      return run.outcome(
        .leftAlone, "it is on \(current.effectiveVersion?.description ?? "no version"), not \(bad)"
      )
    }
    return nil
  }
}

extension ExecutionRecord {
  /// What happened to this run in a closed reset.
  func outcome(_ result: RunResetOutcome.Result, new: String? = nil, _ reason: String? = nil)
    -> RunResetOutcome
  {
    RunResetOutcome(
      workflowID: workflowID, runID: runID, result: result, newRunID: new, reason: reason)
  }
}

/// `body`'s result and how long it took on `clock`.
func timed<C: Clock<Duration>, Result>(on clock: C, _ body: () async throws -> Result)
  async throws -> (Result, Duration)
{
  let start = clock.now
  let result = try await body()
  return (result, start.duration(to: clock.now))
}
