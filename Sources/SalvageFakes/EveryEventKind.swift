public import SalvageCore

/// One event of every kind, with the awkward values each can hold (escapes, empty and absent
/// fields, extreme integers, times, nested enums): what the codec tests write and read back.
public enum EveryEventKind {
  public static let events: [IncidentEvent] = [
    .opened(
      IncidentOpened(
        deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default",
        title: "Bad rollout of orders/v2", operatorName: "alice")),
    .noteAdded(
      NoteAdded(
        text: "quote \" backslash \\ slash / é 🚀 tab\t nl\n cr\r bell\u{07} del\u{7f} \u{2028}")),
    .closed(IncidentClosed(reason: "")),
    .rolloutObserved(RolloutObserved(currentBuild: "v1", rampingBuild: nil, rampPercentage: 12.5)),
    .actionStarted(
      ActionStarted(
        action: "stop-1", step: .stop, subject: nil, safety: .repeatable,
        command: ["temporal", "a b", ""],
        identity: "salvage/i/stop-1")),
    .actionStarted(
      ActionStarted(
        action: "r", step: .resetClosed, subject: "0", safety: .runOnce, command: [], identity: "i")
    ),
    .actionSucceeded(ActionSucceeded(action: "stop-1", batchJob: nil)),
    .actionFailed(ActionFailed(action: "stop-1", message: "m")),
    .actionAbandoned(ActionAbandoned(action: "stop-1", reason: "r")),
    .actionReconciled(
      ActionReconciled(action: "a", tookEffect: false, batchJob: "j", evidence: "e")),
    .affectedIdentified(
      AffectedExecutionsIdentified(
        groups: [
          AffectedGroup(workflowType: "T", status: .timedOut, count: 2, withReportedProblems: 0),
          AffectedGroup(
            workflowType: "U", status: .running, count: -1, withReportedProblems: Int.max),
        ], unpinnedWithProblems: 1, executionCount: 2, digest: "d")),
    .strategyDecided(
      StrategyDecided(
        workflowType: "T", restartable: false, corrupted: true,
        strategy: .resetLastTaskToReplaySafe,
        targetBuild: "v3", source: .policyFile, rationale: "r")),
    .strategyDecided(
      StrategyDecided(
        workflowType: "T", restartable: true, corrupted: false, strategy: .resetToGoodBuild,
        targetBuild: "v1",
        source: .operatorDecision, rationale: "r",
        closedStatuses: [.failed, .completed, .terminated])),
    .batchProgressed(
      BatchProgressed(action: "a", batchJob: "j", finished: true, total: 3, complete: 3, failure: 0)
    ),
    .drainageObserved(
      DrainageObserved(
        drainage: .drained, checkedAt: UTCTime(millisecondsSinceEpoch: 5), runningPinned: 0)),
    .drainageObserved(DrainageObserved(drainage: .other(""), checkedAt: nil, runningPinned: 7)),
    .closedTargetsFrozen(ClosedTargetsFrozen(chunkSizes: [2000, 5], alreadyReset: 1, digest: "d")),
    .pollersChecked(PollersChecked(identities: [])),
    .overridesReviewed(
      OverridesReviewed(
        builds: ["v3", "v1"], count: 2, chunkSizes: [2], chunkBuilds: ["v3"], stayOnBuild: 1,
        noOverride: 0, leftPinnedCount: 1,
        leftPinned: [
          RunResetOutcome(
            workflowID: "p-1", runID: "r", result: .leftAlone,
            reason: "its last task completed on v2")
        ], digest: "00")),
    .versionDeleted(VersionDeleted(confirmed: true)),
    .managerReturned(ManagerReturned(deployment: "orders", to: "controller")),
    .leaseAcquired(
      LeaseAcquired(
        holder: "alice", host: "h", expiresAt: UTCTime(millisecondsSinceEpoch: 1),
        takenOverFrom: "bob", expiredHolder: nil)),
    .leaseRenewed(LeaseRenewed(holder: "alice", expiresAt: UTCTime(millisecondsSinceEpoch: 2))),
    .leaseReleased(LeaseReleased(holder: "alice")),
    .handedOff(HandedOff(from: "alice", to: "bob", note: nil)),
    .leaseAcquired(
      LeaseAcquired(
        RunIdentity(runID: "5f3a", operatorName: "alice", host: "h", pid: 4242),
        expiresAt: UTCTime(millisecondsSinceEpoch: 3),
        found: .ended(
          Lease(
            holder: "alice", host: "h", expiresAt: UTCTime(millisecondsSinceEpoch: 2), runID: "9c",
            pid: 7)))),
    .leaseRenewed(
      LeaseRenewed(holder: "alice", expiresAt: UTCTime(millisecondsSinceEpoch: 4), runID: "5f3a")),
    .leaseReleased(LeaseReleased(holder: "alice", runID: "5f3a")),
    .handedOff(
      HandedOff(from: "alice", to: "bob", note: "n", export: "inc-1.jsonl", sealedAfter: "00ff")),
    .imported(
      IncidentImported(mode: .handedOver, file: "inc-1.jsonl", lastHash: "00ff", events: 9)),
    .imported(IncidentImported(mode: .copy, file: "f", lastHash: "", events: 0)),
    .opened(
      IncidentOpened(
        deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default", title: "t",
        operatorName: "alice", forcedBeside: ["inc-1"])),
  ]
}

/// Any payload as a concrete `Encodable`, for `JSONEncoder`.
public struct AnyEncodable: Encodable {
  let value: any Encodable
  public init(_ value: any Encodable) { self.value = value }
  public func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
