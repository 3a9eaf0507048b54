import SalvageCore

/// The words for what the runner tells while it works that no event records (a notice), and for
/// the counts of a long wait (its progress).
enum RunNotice {
  static func text(_ notice: RunbookRunner.Notice) -> String {
    switch notice {
    case .followingBatch(let action, let job):
      "\(action): following its batch \(job), which the interrupted run never saw finish"
    case .batchAlreadyStarted(let action, let job):
      "\(action): batch \(job) was already started; following it"
    case .launchAnsweredButBatchExists(let action, let job, let answer):
      "\(action): the launch answered '\(answer)', but batch \(job) exists; following it"
    case .roundAgain(let batch):
      "\(batch.action): batch \(batch.batchJob) "
        + (batch.state == .failed
          ? "failed as a whole" : "ended with \(batch.failure) of \(batch.total) failed")
        + "; counting its targets again for another round"
    case .restartAgain(let action, let failed):
      "\(action): \(failed) runs could not be restarted; checking them again in another round"
    case .checkingEachRun(let action):
      "\(action) was interrupted; checking each of its runs against the server"
    case .waitingOutLostResets(let action, let runs, let seconds):
      "\(action): \(runs) of its runs are not reset yet; a reset the interrupted run sent may "
        + "still land, so nothing is sent to them for \(Int(seconds.rounded(.up))) s"
    case .scopedByRunID(let type, let identified):
      "\(type): visibility selects none of its \(identified) identified Running executions by "
        + "name; scoping its recovery by run id instead"
    case .visibilityBehind(let type, let listed, let moved):
      "\(type): visibility lists \(listed) runs as Running on the bad build, but the server shows "
        + "some moved by an earlier round (\(moved)); waiting for it to catch up before the next "
        + "round (a round now would reset them again)"
    case .awaitingDrainage(let bad, let refresh, let grace, let timeout):
      "waiting for the server to report \(bad) drained: by default it first checks "
        + "\(ProgressLine.clock(Double(grace))) after the version left routing, then about every "
        + "\(ProgressLine.clock(Double(refresh))), so drained can come up to "
        + "\(ProgressLine.clock(Double(refresh))) after the last pinned run closed; giving up after "
        + "\(ProgressLine.clock(Double(timeout)))"
    case .drained(let bad): "drained: \(bad) reports drained and nothing Running is pinned to it"
    case .drainageStalled(let seconds):
      "drainage stalled for \(seconds) s: recovering the rest again"
    case .attributeUndecided(let type, let attribute, let yes, let no, let total):
      "cannot decide \(type) from \(attribute): \(yes) true, \(no) false, \(total - yes - no) "
        + "unset of \(total) Running; decide it with salvage decide"
    case .attributeRefused(let type, let attribute, let reason):
      "cannot decide \(type) from \(attribute): \(reason)"
    case .waitingForPollers(let bad, let identities):
      "stop the workers of \(bad) now: \(identities.joined(separator: ", ")) still poll it; waiting"
    case .pollersRemembered(let bad, let remembered, let memory):
      remembered.map { "\($0.identity) last polled \($0.lastPolledAgo) s ago" }.joined(
        separator: ", ")
        + "; nothing polls \(bad) now, but the server lists a stopped worker for "
        + "\(ProgressLine.clock(Double(memory))) after its last poll and refuses the delete until it "
        + "forgets it (in about \(remembered.map(\.forgottenIn).max() ?? 0) s); waiting"
    case .slowedByRateLimit(let action, let refused, let pace):
      "\(action): the namespace's rate limit refused \(refused) calls, each sent again; salvage "
        + "slowed to \(Int(pace.callsPerSecond.rounded())) calls a second, \(pace.width) at once"
    }
  }

  static func text(_ progress: RunbookRunner.Progress) -> String {
    switch progress {
    case .batch(let job, let complete, let total, let waited):
      "batch \(job): \(complete)/\(total) done, waiting (\(waited) s)"
    case .drainage(let wait):
      "waiting for drainage: \(wait.status.name), \(wait.runningPinned) Running pinned; "
        + (wait.lastCheckedAgo.map { "the server last checked \($0) s ago" }
          ?? "the server has not checked yet")
        + " and checks about every \(ProgressLine.clock(Double(wait.refresh)))"
        + (wait.refreshSeen ? "" : " (its default)") + " (\(wait.waited) s)"
    case .batchSlotBusy(let seconds):
      "another batch holds this namespace's batch slot; retrying in \(seconds) s"
    case .visibility(let type, let waited):
      "\(type): waiting for visibility to stop listing runs an earlier round moved (\(waited) s)"
    case .pollers(let live, let remembered, let waited):
      live.isEmpty
        ? "waiting for the server to forget stopped workers "
          + remembered.map { "\($0.identity) (in about \($0.forgottenIn) s)" }.joined(
            separator: ", ")
        : "waiting for "
          + live.map { poller in
            poller.identity + (poller.lastPolledAgo.map { " (last polled \($0) s ago)" } ?? "")
          }.joined(separator: ", ") + " to be stopped (\(waited) s)"
    }
  }
}
