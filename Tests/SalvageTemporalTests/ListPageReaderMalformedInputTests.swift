import Foundation
import GRPCCore
import SalvageCore
import SalvageFakes
import SwiftProtobuf
import Testing

@testable import SalvageTemporal

/// The hand-written reader of `ListWorkflowExecutions` pages on bytes no server should send: each
/// is refused with a ``WireFormatError`` that says what and where, never a crash.
@Suite struct ListPageReaderMalformedInputTests {
  func problem(_ bytes: [UInt8]) -> WireFormatError? {
    do {
      _ = try ListPage.read(Data(bytes))
      return nil
    } catch {
      return error
    }
  }

  /// A page of one execution whose body is `body`.
  func page(_ body: WireBytes) -> [UInt8] {
    WireBytes.page(executions: [body], token: nil).bytes
  }

  @Test func aVarintLongerThanTenBytesIsAnError() {
    // Given a status whose varint runs to 11 bytes, and a tag that does
    var execution = WireBytes()
    execution.tag(5, wireType: 0)
    execution.append([UInt8](repeating: 0x80, count: 10) + [0x01])
    let longTag = [UInt8](repeating: 0xFF, count: 11)
    // When each is read, then it is refused where the varint starts
    #expect(problem(page(execution)) == WireFormatError(.malformedVarint, at: 3))
    #expect(problem(longTag) == WireFormatError(.malformedVarint, at: 0))
    // And the generated message refuses them too
    #expect(throws: (any Error).self) { try ListPageReaderTests.generatedPath(page(execution)) }
  }

  @Test(arguments: [UInt8(6), 7])
  func aTagWithAWireTypeProtobufLacksIsAnErrorAtEveryLevel(wireType: UInt8) {
    // Given the wire type in the page, in an execution, in a search attribute entry, in a payload
    var bad = WireBytes()
    bad.tag(100, wireType: wireType)
    var inEntry = WireBytes()
    inEntry.lengthDelimited(1, "TemporalWorkflowVersioningBehavior")
    inEntry.append(bad)
    var inPayload = WireBytes()
    inPayload.lengthDelimited(1, "TemporalReportedProblems")
    inPayload.lengthDelimited(2, bad)
    for entry in [inEntry, inPayload] {
      var attributes = WireBytes()
      attributes.lengthDelimited(1, entry)
      var execution = WireBytes()
      execution.lengthDelimited(11, attributes)
      // When read, then the reader names the wire type
      #expect(problem(page(execution))?.problem == .invalidWireType(wireType))
    }
    #expect(problem(page(bad)) == WireFormatError(.invalidWireType(wireType), at: 2))
    #expect(problem(bad.bytes) == WireFormatError(.invalidWireType(wireType), at: 0))
  }

  @Test func anEndGroupThatClosesNothingIsAnError() {
    // Given an end-group tag alone, one that closes another group than the open one, and a group
    // never closed
    var alone = WireBytes()
    alone.tag(5, wireType: 4)
    var crossed = WireBytes()
    crossed.tag(100, wireType: 3)
    crossed.tag(101, wireType: 4)
    var open = WireBytes()
    open.tag(100, wireType: 3)
    open.varint(1, 1)
    // When read, then the first two are refused at the end tag, the last as truncated
    #expect(problem(alone.bytes) == WireFormatError(.unexpectedEndGroup, at: 0))
    #expect(problem(page(alone)) == WireFormatError(.unexpectedEndGroup, at: 2))
    #expect(problem(crossed.bytes) == WireFormatError(.unexpectedEndGroup, at: 2))
    #expect(problem(open.bytes) == WireFormatError(.truncated, at: 2))
  }

  @Test func aTagWithFieldNumberZeroIsAnError() {
    // Given a tag for field 0, when read, then it is refused
    #expect(problem([0x00, 0x01]) == WireFormatError(.invalidTag, at: 0))
    #expect(problem(page(WireBytes(bytesOf: [0x02, 0x00]))) == WireFormatError(.invalidTag, at: 2))
  }

  @Test func groupsAreSkippedToTheirEndUntilTheyNestTooDeep() throws {
    // Given an unknown field of 50 nested groups, and one of 101
    func nested(_ depth: Int) -> WireBytes {
      var group = WireBytes()
      group.varint(1, 1)
      for _ in 0..<depth {
        var outer = WireBytes()
        outer.group(100, group)
        group = outer
      }
      return group
    }
    var info = Temporal_Api_Workflow_V1_WorkflowExecutionInfo()
    info.execution.runID = "run-1"
    var shallow = WireBytes(info)
    shallow.append(nested(50))
    var deep = WireBytes(info)
    deep.append(nested(101))
    // When read, then the shallow one is skipped as the generated message skips it
    let read = try ListPage.read(Data(page(shallow)))
    #expect(read.executions == (try ListPageReaderTests.generatedPath(page(shallow))).0)
    #expect(read.executions.first?.runID == "run-1")
    // And the deep one is refused
    #expect(problem(page(deep))?.problem == .groupsTooDeep)
  }

  @Test func aStringSalvageReadsThatIsNotUTF8IsAnError() {
    // Given a workflow id and a type name with bytes that are not UTF-8
    for field: UInt32 in [1, 2] {
      var inner = WireBytes()
      inner.lengthDelimited(1, [0x6F, 0xFF, 0x6B])
      var execution = WireBytes()
      execution.lengthDelimited(field, inner)
      // When read, then the reader refuses them at the string's tag, as the generated message does
      #expect(problem(page(execution)) == WireFormatError(.invalidUTF8, at: 4))
      #expect(throws: (any Error).self) { try ListPageReaderTests.generatedPath(page(execution)) }
    }
  }

  @Test func aTimestampBeyondWhatMillisecondsHoldIsAnErrorNotATrap() {
    // Given a start time of 2^62 seconds (the generated path's conversion would overflow)
    var timestamp = WireBytes()
    timestamp.varint(1, 1 << 62)
    var execution = WireBytes()
    execution.lengthDelimited(3, timestamp)
    // When read, then it is refused where the start time is
    #expect(problem(page(execution)) == WireFormatError(.timestampOutOfRange, at: 2))
  }

  @Test func randomlyDamagedPagesAreReadOrRefusedNeverACrash() {
    // Given 3,000 pages damaged at random: bytes changed, inserted, removed, cut off
    var pages = RandomListPages(seed: 2026)
    var refused = 0
    for _ in 0..<3_000 {
      var bytes = pages.page(executions: Int.random(in: 1...3, using: &pages.random))
      for _ in 0..<Int.random(in: 1...4, using: &pages.random) {
        let at = Int.random(in: 0...bytes.count, using: &pages.random)
        let byte = UInt8.random(in: 0...255, using: &pages.random)
        switch Int.random(in: 0...3, using: &pages.random) {
        case 0 where at < bytes.count: bytes[at] = byte
        case 1: bytes.insert(byte, at: at)
        case 2 where at < bytes.count: bytes.remove(at: at)
        default: bytes = Array(bytes[..<at])
        }
      }
      // When each is read, then it is read, or refused with an offset inside it
      if let error = problem(bytes) {
        refused += 1
        #expect((0...bytes.count).contains(error.offset), "\(error) of \(bytes.count) bytes")
      }
    }
    // And damage was both refused and, where it left a valid message, read
    #expect(refused > 300)
    #expect(refused < 3_000)
  }

  @Test func aPageTheReaderRefusesReachesTheClientAsAnRPCErrorThatNamesTheProblem() {
    // Given an answer cut short, when the client's deserializer reads it
    let answer: [UInt8] = [0x0A, 0x05, 0x0A]
    let error = #expect(throws: RPCError.self) {
      _ = try ListPageDeserializer().deserialize(answer)
    }
    // Then it is an RPC error with the reader's words, as for any message gRPC cannot read
    #expect(error?.code == .invalidArgument)
    #expect(
      error?.message.contains("malformed protobuf at byte 1: a field runs past the end") == true)
  }
}

extension WireBytes {
  init(bytesOf raw: [UInt8]) {
    self.init()
    append(raw)
  }
}
