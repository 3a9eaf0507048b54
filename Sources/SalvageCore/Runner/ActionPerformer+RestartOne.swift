extension RunbookRunner.ActionPerformer {
  /// What one run's restart needs to know besides the run.
  struct Restart: Sendable {
    let incident: IncidentID
    /// Where the new run is pinned.
    let target: WorkerDeploymentVersion
    let bad: WorkerDeploymentVersion
    /// `nil` for a Running target (terminated first); for a closed target, the statuses chosen for
    /// its type, one of which it must still be in.
    let closedStatuses: [ExecutionStatus]?
  }

  /// One run: checked just before (its workflow id's current run, on the bad build and not pinned
  /// elsewhere by someone's Versioning Override, Running or in a chosen closed status; or already
  /// restarted by salvage, found by the start's request id on the current run), its first event
  /// read again and held to the frozen digest and the child/Nexus refusal, and only then
  /// terminated when still Running, and started again with the conflict policy FAIL: a run it must
  /// not or cannot start again is never left terminated. A lost answer or an
  /// ALREADY_EXISTS is settled by the same check before anything is sent again, at most three
  /// attempts in all: the server de-duplicates a request id only against the current run.
  /// `mayAct` is asked once, before the terminate (or the start of a closed run): never between
  /// the two. Its error stops the round; a close leaves the run alone, not sent. Once this round
  /// has terminated the run, its start is sent for as long as it takes: a refusal, even past the
  /// limiter's patience, is sent again, and a close does not stop it; only a lost hold on the
  /// incident does (the new driver finds the run terminated and starts it). A run that still
  /// fails then says it was terminated and not started again.
  static func restartOne(
    _ run: ExecutionRecord, _ restart: Restart, context: ChangeContext,
    temporal: PerRunTemporalClient,
    clock: any Clock<Duration>, mayAct: RunbookRunner.MayAct
  ) async throws -> RunResetOutcome {
    let requestID = restartRequestID(restart.incident, run.runID)
    var lost: TemporalError?
    var attempt = 0
    // Set once this round's terminate of the run was answered, or was sent and the check then
    // finds the run terminated (its answer was lost).
    var (terminatedHere, terminateSent) = (false, false)
    func failed(_ reason: String) -> RunResetOutcome {
      run.outcome(
        .failed,
        terminatedHere
          ? "terminated by salvage and not started again (\(reason)): run again to start it"
          : reason)
    }
    while attempt < 3 {
      attempt += 1
      do {
        let current = try await temporal.describeWorkflow(id: run.workflowID, runID: nil)
        if current.runID != run.runID {
          if current.requestIDs.contains(requestID) {
            return lost == nil
              ? run.outcome(
                .alreadyRestarted, new: current.runID, "already started again as \(current.runID)")
              : run.outcome(
                .restarted, new: current.runID,
                "its answer was lost (\(lost?.description ?? "")); the check found it")
          }
          let status = current.status?.rawValue ?? "unknown"
          switch await madeBy(current.runID, of: run.workflowID, temporal: temporal) {
          case .someoneElse(let who):
            return run.outcome(
              .leftAlone, new: current.runID,
              "\(who) as \(current.runID) (\(status)), not by salvage")
          case .continued(let how):
            return run.outcome(
              .leftAlone,
              "its workflow id went on as \(current.runID) (\(status)) by \(how), not a restart")
          case nil:
            return run.outcome(
              .leftAlone,
              "no longer its workflow id's current run (the current run \(current.runID) is "
                + "\(status), and salvage did not start it)")
          }
        }
        guard let status = current.status else {
          return terminatedHere
            ? failed("its status is unknown") : run.outcome(.leftAlone, "its status is unknown")
        }
        let reuse: IDReusePolicy
        if let chosen = restart.closedStatuses {
          guard chosen.contains(status) else {
            return run.outcome(
              .leftAlone,
              "it is \(status.rawValue), not \(ClosedStatuses.list(chosen)) (chosen for \(run.workflowType))"
            )
          }
          guard current.deploymentVersion == restart.bad else {
            return run.outcome(
              .leftAlone,
              "it is on \(current.deploymentVersion?.description ?? "no version"), not \(restart.bad)"
            )
          }
          reuse = IDReusePolicy.restarting(status)
        } else {
          switch status {
          case .running:
            guard current.deploymentVersion == restart.bad else {
              return run.outcome(
                .leftAlone,
                "it is on \(current.deploymentVersion?.description ?? "no version"), not \(restart.bad)"
              )
            }
            if let pinned = current.overrideVersion, pinned != restart.bad {
              return run.outcome(
                .leftAlone,
                "a Versioning Override pins it to \(pinned), not \(restart.bad): left to whoever "
                  + "set it")
            }
          case .terminated:
            // Terminated by an earlier attempt of this round (or by hand): start it again; when
            // this round sent the terminate, as surely as when its answer came back.
            if terminateSent, !terminatedHere {
              (terminatedHere, attempt) = (true, 1)
            }
          default:
            return run.outcome(
              .leftAlone,
              "it closed as \(status.rawValue) before it was terminated; the closed runs are "
                + "restarted after drainage in the statuses chosen for \(run.workflowType)")
          }
          reuse = .allowDuplicateFailedOnly
        }
        let first = try await temporal.firstEvent(workflowID: run.workflowID, runID: run.runID)
        guard run.firstEvent == nil || first.digest == run.firstEvent else {
          return failed("its first event is not the one frozen (digest \(first.digest))")
        }
        if let refusal = first.refusal { return run.outcome(.leftAlone, refusal) }
        // After this round's terminate only the hold counts: a close does not stop the start.
        if terminatedHere {
          _ = try mayAct()
        } else {
          guard try mayAct() == .act else { return run.notSentAfterClose() }
        }
        let start = TemporalChange.startAgain(
          first, pinTo: restart.target, requestID: requestID, reuse: reuse)
        let result: ChangeResult
        if restart.closedStatuses == nil, status == .running {
          do {
            terminateSent = true
            // Asked again once its turn comes, just before it is sent.
            guard
              try await temporal.perform(
                .terminateRun(workflowID: run.workflowID, runID: run.runID), context: context,
                mayAct: mayAct) != nil
            else { return run.notSentAfterClose() }
          } catch TemporalError.workflowNotFound {
            continue  // it closed meanwhile: the check again says what it is now
          }
          // The start gets its own attempts: a run is never left terminated for want of them.
          (terminatedHere, attempt) = (true, 1)
          // No question between the terminate and its start: a run is never left terminated.
          result = try await temporal.perform(start, context: context)
        } else if terminatedHere {
          result = try await temporal.perform(start, context: context)
        } else {
          guard let started = try await temporal.perform(start, context: context, mayAct: mayAct)
          else { return run.notSentAfterClose() }
          result = started
        }
        guard case .started(let newRun) = result else {
          return failed("the start answered no new run")
        }
        return run.outcome(.restarted, new: newRun)
      } catch let error as TemporalError
        where error.isRateLimited || (terminatedHere && error.isRefusedTooLong)
      {
        // Refused before it acted (the limiter has slowed down): not an attempt; checked again.
        // A run this round terminated is not given up: the hold alone can stop it.
        attempt -= 1
        if terminatedHere { _ = try mayAct() }
      } catch let error as TemporalError
        where attempt < 3 && (error.mayHaveActed || error.isUnreachable || error.isAlreadyExists)
      {
        // A start or terminate never sent (no connection) is no lost answer to report.
        if !error.isUnreachable { lost = error }
        try? await clock.sleep(for: .milliseconds(200 * attempt))
      } catch let error as TemporalError {
        return failed(error.description)
      }
    }
    return failed(lost?.description ?? "three attempts failed")
  }
}

extension RunbookRunner.ActionPerformer {
  /// What made a run of a workflow id that salvage did not start.
  enum MadeBy: Equatable {
    /// Someone else, who and when first: "reset at T (reason)", "started again by alice at T".
    case someoneElse(String)
    /// The workflow itself went on: its continue-as-new, a retry, a cron run.
    case continued(String)
  }

  /// What made run `runID` of `workflowID`, as the server recorded it: a reset (its time and
  /// reason; a reset's run copies the original's first event, so its own failed task says it),
  /// a continuation (its first event's initiator), else a start (its first event's identity and
  /// time). `nil` when the history says none of these or cannot be read: then nobody is named.
  static func madeBy(_ runID: String, of workflowID: String, temporal: any TemporalClient) async
    -> MadeBy?
  {
    do {
      if let origin = try await temporal.resetOrigin(workflowID: workflowID, newRunID: runID) {
        return .someoneElse("reset " + origin.described)
      }
      let first = try await temporal.firstEvent(workflowID: workflowID, runID: runID)
      if first.continuedFrom != nil {
        return .continued(first.continuedBy ?? "a continuation")
      }
      let said = [first.startedBy.map { "by \(oneLine($0))" }, first.startedAt.map { "at \($0)" }]
        .compactMap { $0 }
      return said.isEmpty ? nil : .someoneElse("started again " + said.joined(separator: " "))
    } catch {
      return nil
    }
  }
}

extension TemporalError {
  /// ALREADY_EXISTS: for a start, another run holds the workflow id (salvage's own, when an earlier
  /// answer was lost).
  var isAlreadyExists: Bool {
    if case .alreadyExists = self { return true }
    return false
  }
}
