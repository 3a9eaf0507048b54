extension RunbookRunner.ActionPerformer {
  /// Waits until the server lists no poller of the bad version. Workers that still poll are
  /// named for the operator to stop, for at most ``RunbookRunner/Timing/pollerWait``; workers
  /// that stopped and that the server only remembers (``PollerSighting``) are never named as
  /// something to stop: the run says when the server should forget them and waits for it.
  mutating func waitForPollersGone(_ bad: WorkerDeploymentVersion)
    async throws
    -> RunbookRunner.StopReason?
  {
    let timing = dependencies.timing
    var waitedForLive = 0.0
    var sinceProgress = 0.0
    var told: PollerSighting?
    var pastWait = false
    var sighting: PollerSighting?
    let queues = try await temporal.describeVersion(bad).taskQueues
    while true {
      let seen = try await sightPollers(of: bad, on: queues, previous: sighting)
      sighting = seen
      let checked = seen.checked
      if state.progress.pollers != checked { try record([.pollersChecked(checked)]) }
      if seen.isEmpty { return nil }
      if told?.live != seen.live || told?.rememberedIdentities != seen.rememberedIdentities {
        dependencies.notice(
          seen.live.isEmpty
            ? .pollersRemembered(bad, seen.remembered, memory: Int(timing.pollerMemory))
            : .waitingForPollers(bad, identities: seen.live))
        told = seen
      }
      if !seen.live.isEmpty {
        // Past the wait, the operator is asked to stop only workers seen polling again since it
        // ended: one whose last poll is merely recent may have stopped since, and a worker still
        // polling shows it within one long poll.
        if waitedForLive >= timing.pollerWait, !pastWait {
          pastWait = true
        } else if pastWait {
          let stillPolling = seen.live.filter(seen.pollingAgain.contains)
          if !stillPolling.isEmpty { return .needsPollersGone(stillPolling) }
        }
        waitedForLive += timing.poll
      } else if seen.overdue(memory: timing.pollerMemory, margin: timing.pollerMemoryMargin) {
        return .blocked(Self.stillRemembered(bad, seen.remembered, memory: timing.pollerMemory))
      }
      if sinceProgress >= 10 {
        dependencies.progress(
          .pollers(
            live: seen.live.map { .init(identity: $0, lastPolledAgo: seen.liveLastPolledAgo[$0]) },
            remembered: seen.remembered, waited: Int(waitedForLive)))
        sinceProgress = 0
      }
      try await dependencies.clock.sleep(for: .seconds(timing.poll))
      sinceProgress += timing.poll
      try keepLease()
    }
  }

  /// The pollers of `version` on `queues` as the server lists them now, read against its long
  /// poll and poller memory (and against `previous`, the last look, when there is one).
  func sightPollers(
    of version: WorkerDeploymentVersion, on queues: [VersionDescription.TaskQueue],
    previous: PollerSighting? = nil
  ) async throws -> PollerSighting {
    let timing = dependencies.timing
    return PollerSighting(
      try await temporal.pollers(of: version, on: queues), at: dependencies.now(),
      livePollWindow: timing.livePollWindow, memory: timing.pollerMemory, previous: previous)
  }

  /// Why a run stops when the server still lists stopped workers well past its poller memory.
  static func stillRemembered(
    _ bad: WorkerDeploymentVersion, _ remembered: [PollerSighting.Remembered], memory: Double
  ) -> String {
    let named = remembered.map { "\($0.identity) (last polled \($0.lastPolledAgo) s ago)" }
    return "the server still lists \(named.joined(separator: ", ")) for \(bad), past the "
      + "\(Int(memory)) s a server remembers a stopped worker by default "
      + "(matching.PollerHistoryTTL); nothing polls it now: run again once the server forgets them"
  }

  /// Deletes the bad version and confirms it is gone and cannot come back: a re-describe finds no
  /// version, and no worker polls any of its task queues as that version (only such a worker could
  /// re-create it).
  mutating func deleteVersion(_ bad: WorkerDeploymentVersion)
    async throws
    -> RunbookRunner.StopReason?
  {
    let queues: [VersionDescription.TaskQueue]
    do {
      queues = try await temporal.describeVersion(bad).taskQueues
    } catch TemporalError.versionNotFound {
      // Deleted by a run that died before recording it; its pollers were checked gone before.
      try record([.versionDeleted(VersionDeleted(confirmed: true))])
      return nil
    }
    do {
      if let outcome = try await change(.cleanUp, .deleteVersion(bad)) {
        return outcome
      }
    } catch TemporalError.versionHasPollers {
      return try await waitForPollersGone(bad)
    }
    do {
      _ = try await temporal.describeVersion(bad)
    } catch TemporalError.versionNotFound {
      // Only a worker still polling could bring the version back; one the server remembers cannot.
      let seen = try await sightPollers(of: bad, on: queues)
      guard seen.live.isEmpty else {
        try record([.pollersChecked(seen.checked)])
        return .needsPollersGone(seen.live)
      }
      try record([.versionDeleted(VersionDeleted(confirmed: true))])
      return nil
    }
    let identities = try await temporal.pollers(of: bad, on: queues).map(\.identity).sorted()
    guard !identities.isEmpty else { throw RunbookError.versionReappeared(bad) }
    try record([.pollersChecked(PollersChecked(identities: identities))])
    return nil
  }
}
