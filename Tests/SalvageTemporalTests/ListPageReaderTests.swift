import Foundation
import SalvageCore
import SwiftProtobuf
import Testing

@testable import SalvageTemporal

/// The hand-written reader of `ListWorkflowExecutions` pages against the generated messages: on the
/// same bytes it must give what swift-protobuf's `ListWorkflowExecutionsResponse` gives through
/// `WorkflowExecutionSummary.init(_:)`.
@Suite struct ListPageReaderTests {
  /// What identification got before the reader: the generated message, then the summaries.
  static func generatedPath(_ bytes: [UInt8]) throws -> ([WorkflowExecutionSummary], Data) {
    let page = try Temporal_Api_Workflowservice_V1_ListWorkflowExecutionsResponse(
      serializedBytes: bytes)
    return (page.executions.map(WorkflowExecutionSummary.init), page.nextPageToken)
  }

  static func readerPath(_ bytes: [UInt8]) throws(WireFormatError) -> (
    [WorkflowExecutionSummary], Data
  ) {
    let page = try ListPage.read(Data(bytes))
    return (page.executions, page.nextPageToken)
  }

  /// Execution by execution, so a difference names the one that differs.
  static func expectSame(
    _ read: ([WorkflowExecutionSummary], Data), _ expected: ([WorkflowExecutionSummary], Data),
    _ page: String
  ) {
    #expect(read.0.count == expected.0.count, "\(page)")
    for (index, (summary, reference)) in zip(read.0, expected.0).enumerated() {
      #expect(summary == reference, "\(page), execution \(index)")
    }
    #expect(read.1 == expected.1, "\(page): next page token")
  }

  @Test func randomPagesReadTheSameByTheWireReaderAndByTheGeneratedMessages() throws {
    // Given 400 random pages of 0 to 30 executions: every field salvage reads with empty,
    // multi-byte and odd values, unread and unknown fields at every level, repeats and reordering
    var pages = RandomListPages(seed: 19)
    var executions = 0
    var attributes = 0
    for index in 0..<400 {
      let bytes = pages.page(executions: Int.random(in: 0...30, using: &pages.random))
      // When each is read both ways
      let expected = try Self.generatedPath(bytes)
      let read = try Self.readerPath(bytes)
      // Then the summaries and the next page's token are the same
      Self.expectSame(read, expected, "page \(index)")
      executions += expected.0.count
      attributes += expected.0.reduce(0) { $0 + $1.searchAttributes.count }
    }
    // And the pages did exercise what they are for
    #expect(executions > 5_000)
    #expect(attributes > 2_000)
  }

  @Test func largePagesReadTheSameByTheWireReaderAndByTheGeneratedMessages() throws {
    // Given three pages of 2,000 executions each, the size the server sends at page size 1,000 and
    // more
    var pages = RandomListPages(seed: 6)
    for _ in 0..<3 {
      let bytes = pages.page(executions: 2_000)
      // When read both ways, then they agree
      let expected = try Self.generatedPath(bytes)
      let read = try Self.readerPath(bytes)
      #expect(read.0.count == 2_000)
      Self.expectSame(read, expected, "a page of 2,000")
    }
  }

  @Test func anExecutionOfTheBenchShapeGivesEverythingSalvageUses() throws {
    // Given an execution as the dev server lists a pinned run with reported problems, beside a
    // memo and attributes salvage does not read
    var info = Temporal_Api_Workflow_V1_WorkflowExecutionInfo()
    info.execution.workflowID = "order-ü-1"
    info.execution.runID = "00000000-0000-0000-0000-000000000002"
    info.type.name = "OrderWorkflow"
    info.status = .running
    info.startTime.seconds = 1_795_000_000
    info.startTime.nanos = 120_000_000
    func payload(_ json: String) -> Temporal_Api_Common_V1_Payload {
      var payload = Temporal_Api_Common_V1_Payload()
      payload.metadata = ["encoding": Data("json/plain".utf8), "type": Data("Keyword".utf8)]
      payload.data = Data(json.utf8)
      return payload
    }
    info.searchAttributes.indexedFields = [
      "TemporalWorkerDeploymentVersion": payload(#""orders:bad""#),
      "TemporalWorkflowVersioningBehavior": payload(#""Pinned""#),
      "TemporalReportedProblems": payload(#"["category=WorkflowTaskFailed","cause=x"]"#),
      "BuildIds": payload(#"["pinned:orders:bad"]"#),
    ]
    var page = Temporal_Api_Workflowservice_V1_ListWorkflowExecutionsResponse()
    page.executions = [info]
    page.nextPageToken = Data([0, 1, 2])
    // When the reader reads it
    let read = try ListPage.read(try page.serializedBytes())
    // Then it has the run, its version, behavior and problems, and only salvage's attributes
    let summary = try #require(read.executions.first)
    #expect(summary.workflowID == "order-ü-1")
    #expect(summary.runID == "00000000-0000-0000-0000-000000000002")
    #expect(summary.type == "OrderWorkflow")
    #expect(summary.status == .running)
    #expect(summary.startTime == UTCTime(millisecondsSinceEpoch: 1_795_000_000_120))
    #expect(summary.closeTime == nil)
    #expect(summary.deploymentVersion == .init(deploymentName: "orders", buildID: "bad"))
    #expect(summary.versioningBehavior == "Pinned")
    #expect(summary.reportedProblems == ["category=WorkflowTaskFailed", "cause=x"])
    #expect(Set(summary.searchAttributes.keys) == WorkflowExecutionSummary.readAttributes)
    #expect(read.nextPageToken == Data([0, 1, 2]))
  }

  @Test func anEmptyPageHasNoExecutionsAndNoToken() throws {
    // Given no bytes (a page with nothing set), when read, then it is empty both ways
    let read = try Self.readerPath([])
    #expect(read.0.isEmpty)
    #expect(read.1.isEmpty)
    #expect(try Self.generatedPath([]).0.isEmpty)
  }

  @Test func aPageCutShortAnywhereReadsAsTheGeneratedMessageReadsItOrIsTruncated() throws {
    // Given a page of a few executions, cut after every one of its bytes
    var pages = RandomListPages(seed: 7)
    let bytes = pages.page(executions: 4)
    for length in 0..<bytes.count {
      let cut = Array(bytes[..<length])
      // When the cut page is read both ways
      let expected = try? Self.generatedPath(cut)
      do throws(WireFormatError) {
        let read = try Self.readerPath(cut)
        // Then a cut between two fields reads as the generated message reads it
        #expect(read.0 == expected?.0, "cut at \(length)")
        #expect(read.1 == expected?.1, "cut at \(length)")
      } catch {
        // And any other cut is an error, there too
        #expect(expected == nil, "cut at \(length): \(error)")
        #expect(error.problem == .truncated, "cut at \(length): \(error)")
      }
    }
  }

  @Test func aKnownFieldWithAnotherWireTypeIsSkippedAsTheGeneratedMessageSkipsIt() throws {
    // Given an execution whose status comes as a string and whose run id as a varint, after the
    // real ones, and a page token as a fixed64
    var info = Temporal_Api_Workflow_V1_WorkflowExecutionInfo()
    info.execution.runID = "run-1"
    info.status = .failed
    var execution = WireBytes(info)
    execution.lengthDelimited(5, "Running")
    var id = WireBytes()
    id.varint(2, 7)
    execution.lengthDelimited(1, id)
    var extra = WireBytes()
    extra.fixed64(2, 99)
    let bytes = WireBytes.page(executions: [execution], token: nil, extra: extra).bytes
    // When read both ways
    let read = try Self.readerPath(bytes)
    // Then the mistyped fields are unknown fields: the real ones stand, as in the generated message
    #expect(read.0 == (try Self.generatedPath(bytes)).0)
    #expect(read.0.first?.status == .failed)
    #expect(read.0.first?.runID == "run-1")
    #expect(read.1.isEmpty)
  }
}
