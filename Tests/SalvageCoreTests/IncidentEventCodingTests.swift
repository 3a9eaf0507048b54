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
