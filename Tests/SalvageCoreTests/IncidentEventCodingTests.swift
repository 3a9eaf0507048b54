import Foundation
import SalvageCore
import SalvageFakes
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
    IncidentEvent.rolloutObserved(
      RolloutObserved(currentBuild: "v1", rampingBuild: nil, rampPercentage: 0)),
    .actionStarted(
      ActionStarted(
        action: "stop-1", step: .stop, subject: nil, safety: .repeatable,
        command: ["temporal", "x"], identity: "salvage/i/stop-1")),
    .actionSucceeded(ActionSucceeded(action: "stop-1", batchJob: "j")),
    .actionFailed(ActionFailed(action: "stop-1", message: "m")),
    .actionAbandoned(ActionAbandoned(action: "stop-1", reason: "r")),
    .actionReconciled(
      ActionReconciled(action: "a", tookEffect: true, batchJob: nil, evidence: "e")),
    .affectedIdentified(
      AffectedExecutionsIdentified(
        groups: [
          AffectedGroup(workflowType: "T", status: .timedOut, count: 2, withReportedProblems: 0)
        ],
        unpinnedWithProblems: 1, executionCount: 2, digest: "d")),
    .strategyDecided(
      StrategyDecided(
        workflowType: "T", restartable: false, corrupted: true,
        strategy: .resetLastTaskToReplaySafe,
        targetBuild: "v3", source: .policyFile, rationale: "r")),
    .batchProgressed(
      BatchProgressed(action: "a", batchJob: "j", finished: true, total: 3, complete: 3, failure: 0)
    ),
    .drainageObserved(
      DrainageObserved(
        drainage: .drained, checkedAt: UTCTime(millisecondsSinceEpoch: 5), runningPinned: 0)),
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

  @Test(arguments: Self.everyKind)
  func theCanonicalPayloadIsTheBytesJSONEncoderWrites(event: IncidentEvent) throws {
    // Given JSONEncoder with sorted keys and unescaped slashes, as the journal has always stored
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // When Core makes the payload's canonical bytes with its default codec, then they are the
    // same bytes (the journal's own codec is held to them in SalvageJSONTests)
    #expect(
      String(decoding: event.canonicalPayload(), as: UTF8.self)
        == String(decoding: try encoder.encode(AnyEncodable(event.payload)), as: UTF8.self))
  }

  static let everyKind = EveryEventKind.events

  @Test(arguments: Self.everyKind)
  func everyKindReadsBackFromItsStoredForm(event: IncidentEvent) throws {
    let decoded = try IncidentEvent.decode(
      type: event.typeName, schemaVersion: event.schemaVersion, payload: event.canonicalPayload())
    #expect(decoded == event)
  }

  @Test(arguments: [
    ("LeaseAcquired", #"{"expiresAt":"2026-11-25T03:12:45.120Z","holder":"alice","host":"h"}"#),
    ("LeaseRenewed", #"{"expiresAt":"2026-11-25T03:12:45.120Z","holder":"alice"}"#),
    ("LeaseReleased", #"{"holder":"alice"}"#),
    ("HandedOff", #"{"from":"alice","note":"n","to":"bob"}"#),
    (
      "IncidentOpened",
      #"{"badBuild":"v2","deployment":"orders","goodBuild":"v1","namespace":"default","operator":"alice","title":"t"}"#
    ),
    (
      "StrategyDecided",
      #"{"corrupted":false,"rationale":"r","restartable":true,"source":"operator","strategy":"reset-first-task-to-good-build","targetBuild":"v1","workflowType":"T"}"#
    ),
  ])
  func eventsRecordedBeforeTheRunAndCustodyFieldsStillReadBack(type: String, payload: String) throws
  {
    // Given a payload as an older salvage stored it, without the optional fields added since
    // When it is read back, then it decodes, and writes back to the very same bytes
    let event = try IncidentEvent.decode(type: type, schemaVersion: 1, payload: Data(payload.utf8))
    #expect(String(decoding: event.canonicalPayload(), as: UTF8.self) == payload)
  }

  @Test func aDecisionRecordedBeforeClosedStatusesCouldBeChosenResetsTheDefaultOnes() throws {
    // Given a StrategyDecided as an older salvage stored it, with no closedStatuses
    let payload =
      #"{"corrupted":false,"rationale":"r","restartable":true,"source":"operator","strategy":"reset-first-task-to-good-build","targetBuild":"v1","workflowType":"T"}"#
    // When it is read back and folded
    let event = try IncidentEvent.decode(
      type: "StrategyDecided", schemaVersion: 1, payload: Data(payload.utf8))
    guard case .strategyDecided(let decided) = event else {
      Issue.record("read back as \(event.typeName)")
      return
    }
    // Then it chose nothing, which means Failed and TimedOut
    #expect(decided.closedStatuses == nil)
    #expect(ClosedStatuses.default == [.failed, .timedOut])
  }

  @Test(arguments: ["drained", "draining", "unspecified", "", "VERSION_DRAINAGE_STATUS_NEW"])
  func drainageIsStoredAsTheTextItAlwaysWasAndReadsBackEvenWhenUnknown(text: String) throws {
    // Given a DrainageObserved as a journal stores it, with a status salvage may not know
    let stored = Data(#"{"drainage":"\#(text)","runningPinned":2}"#.utf8)
    // When it is read and stored again
    let decoded = try IncidentEvent.decode(
      type: "DrainageObserved", schemaVersion: 1, payload: stored)
    // Then it is the same bytes, and a known status reads as its case
    #expect(decoded.canonicalPayload() == stored)
    guard case .drainageObserved(let observed) = decoded else {
      Issue.record("not a DrainageObserved: \(decoded)")
      return
    }
    #expect(observed.drainage == DrainageStatus(name: text))
    #expect((observed.drainage == .drained) == (text == "drained"))
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
    // Given a NoteAdded payload cut short, when it is decoded
    let error = #expect(throws: EventDecodingError.self) {
      try IncidentEvent.decode(type: "NoteAdded", schemaVersion: 1, payload: Data("{".utf8))
    }
    // Then it is refused as a malformed NoteAdded payload, saying it is not valid JSON
    guard case .malformedPayload(let type, let reason)? = error else {
      Issue.record("expected malformedPayload, got \(String(describing: error))")
      return
    }
    #expect(type == "NoteAdded")
    #expect(reason.contains("The given data was not valid JSON."))
  }
}

enum EventFactoryPayloads {
  static let opened = IncidentEvent.opened(
    IncidentOpened(
      deployment: "orders", badBuild: "v2", goodBuild: "v1", namespace: "default",
      title: "Bad rollout of orders/v2", operatorName: "alice"))
}
