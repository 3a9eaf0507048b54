import Foundation
import SalvageCore
import Testing

@Suite struct IncidentEventCodingTests {
  @Test func payloadsAreCanonicalJSONWithSortedKeys() {
    let payload = EventFactoryPayloads.opened.canonicalPayload()
    #expect(
      String(decoding: payload, as: UTF8.self)
        == #"{"badBuild":"v2","deployment":"orders","goodBuild":"v1","namespace":"default","#
        + #""operator":"alice","title":"Bad rollout of orders/v2"}"#)
  }

  @Test(arguments: [
    EventFactoryPayloads.opened, .noteAdded(NoteAdded(text: "quote \" backslash \\ é\nline")),
    .closed(IncidentClosed(reason: "done")),
  ])
  func everyEventReadsBackFromItsStoredForm(event: IncidentEvent) throws {
    let decoded = try IncidentEvent.decode(
      type: event.typeName, schemaVersion: event.schemaVersion, payload: event.canonicalPayload())
    #expect(decoded == event)
  }

  @Test(arguments: [
    IncidentEvent.rolloutObserved(RolloutObserved(currentBuild: "v1", rampingBuild: nil, rampPercentage: 0)),
    .actionStarted(ActionStarted(
      action: "stop-1", step: .stop, subject: nil, safety: .repeatable, command: ["temporal", "x"], identity: "salvage/i/stop-1")),
    .actionSucceeded(ActionSucceeded(action: "stop-1", batchJob: "j")),
    .actionFailed(ActionFailed(action: "stop-1", message: "m")),
    .actionAbandoned(ActionAbandoned(action: "stop-1", reason: "r")),
    .actionReconciled(ActionReconciled(action: "a", tookEffect: true, batchJob: nil, evidence: "e")),
    .affectedIdentified(AffectedExecutionsIdentified(
      groups: [AffectedGroup(workflowType: "T", status: .timedOut, count: 2, withReportedProblems: 0)],
      unpinnedWithProblems: 1, executionCount: 2, digest: "d")),
    .strategyDecided(StrategyDecided(
      workflowType: "T", restartable: false, corrupted: true, strategy: .resetLastTaskToReplaySafe,
      targetBuild: "v3", source: .policyFile, rationale: "r")),
    .batchProgressed(BatchProgressed(action: "a", batchJob: "j", finished: true, total: 3, complete: 3, failure: 0)),
    .drainageObserved(DrainageObserved(drainage: "drained", checkedAt: UTCTime(millisecondsSinceEpoch: 5), runningPinned: 0)),
    .closedTargetsFrozen(ClosedTargetsFrozen(chunkSizes: [2000, 5], alreadyReset: 1, digest: "d")),
    .pollersChecked(PollersChecked(identities: ["w"])),
    .versionDeleted(VersionDeleted(confirmed: true)),
  ])
  func everyRunbookEventReadsBackFromItsStoredForm(event: IncidentEvent) throws {
    let decoded = try IncidentEvent.decode(
      type: event.typeName, schemaVersion: event.schemaVersion, payload: event.canonicalPayload())
    #expect(decoded == event)
    #expect(!event.summary.isEmpty && !event.summary.contains("\n"))
  }

  @Test func storedTypeNamesAreFrozen() {
    #expect(EventFactoryPayloads.opened.typeName == "IncidentOpened")
    #expect(IncidentEvent.noteAdded(NoteAdded(text: "")).typeName == "NoteAdded")
    #expect(IncidentEvent.closed(IncidentClosed(reason: "")).typeName == "IncidentClosed")
  }

  @Test func anUnknownTypeIsRefusedByName() {
    #expect(throws: EventDecodingError.unknownType("FutureThing")) {
      try IncidentEvent.decode(type: "FutureThing", schemaVersion: 1, payload: Data("{}".utf8))
    }
  }

  @Test func aNewerPayloadSchemaIsRefusedRatherThanMisread() {
    #expect(throws: EventDecodingError.newerSchema(type: "NoteAdded", stored: 2, known: 1)) {
      try IncidentEvent.decode(
        type: "NoteAdded", schemaVersion: 2, payload: Data(#"{"text":"x"}"#.utf8))
    }
  }

  @Test func aMalformedPayloadIsRefused() {
    #expect(throws: EventDecodingError.self) {
      try IncidentEvent.decode(type: "NoteAdded", schemaVersion: 1, payload: Data("{".utf8))
    }
  }
}

enum EventFactoryPayloads {
  static let opened = IncidentEvent.opened(
    IncidentOpened(
      deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default",
      title: "Bad rollout of orders/v2", operatorName: "alice"))
}
