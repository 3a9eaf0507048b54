import Foundation
import SalvageCore
import Testing

@testable import SalvageJournal

@Suite struct ExecutionBlockTests {
  static func decoded(_ bytes: [UInt8], chunk: Int? = nil) throws -> [ExecutionRecord] {
    try bytes.withUnsafeBytes { try ExecutionBlock.records(in: $0, chunk: chunk) }
  }

  @Test func everyFieldOfEveryRunComesBackAsItWasWritten() throws {
    // Given runs with tabs, newlines, empty and multi-byte names, a 300-byte id (a two-byte
    // length), every status, problems or none, a first-event digest or none
    let runs = ExecutionStatus.allCases.enumerated().map { index, status in
      ExecutionRecord(
        workflowID: index == 0 ? String(repeating: "é", count: 150) : "wf\t\(index)\n",
        runID: "run-\(index)", workflowType: index == 1 ? "" : "Ledger \"main\" 台帳",
        status: status, hasReportedProblems: index % 2 == 0, chunk: 4,
        firstEvent: index % 3 == 0 ? "ab12" : nil)
    }
    // When they are written as one block and read back in chunk 4
    let bytes = ExecutionBlock.encode(runs[...])
    // Then each field is as it was
    #expect(try Self.decoded(bytes, chunk: 4) == runs)
    #expect(bytes.first == 1)
  }

  @Test func aSetIsCutIntoBlocksByChunkThenRunIDAtMostAThousandEach() throws {
    // Given 2,300 runs of chunks 1 and 0 and 50 with no chunk, listed backwards
    let runs = (0..<2_350).reversed().map { number in
      ExecutionRecord(
        workflowID: "wf-\(number)", runID: String(format: "r%05d", number), workflowType: "T",
        status: .failed, hasReportedProblems: false,
        chunk: number < 50 ? nil : number < 1_250 ? 0 : 1)
    }
    // When it is cut into blocks
    let blocks = try ExecutionBlock.blocks(of: runs)
    // Then the runs with no chunk come first, then chunk 0 in two blocks, then chunk 1 in two
    #expect(blocks.map(\.chunk) == [nil, 0, 0, 1, 1])
    let counts = try blocks.map { try Self.decoded($0.runs, chunk: $0.chunk).count }
    #expect(counts == [50, 1_000, 200, 1_000, 100])
    // And each block is in run-id order
    let second = try Self.decoded(blocks[1].runs, chunk: 0)
    #expect(second.map(\.runID) == (50..<1_050).map { String(format: "r%05d", $0) })
  }

  @Test func aRunListedTwiceIsRefused() {
    let run = ExecutionRecord(
      workflowID: "wf", runID: "r1", workflowType: "T", status: .running,
      hasReportedProblems: false)
    #expect(throws: JournalError.self) { try ExecutionBlock.blocks(of: [run, run]) }
  }

  @Test(
    arguments: [
      ([], "an empty block"),
      ([2], "unknown block format 2"),
      ([1, 5, 0x72], "a text of 5 bytes past the block's end at byte 2"),
      ([1, 0x80], "block ends inside a run at byte 2"),
      ([1, 0x80, 0x80, 0x80, 0x80, 0x80, 1], "a length over 4 bytes at byte 6"),
      ([1, 1, 0xFF], "a text that is not UTF-8 at byte 2"),
      ([1, 1, 0x72, 0, 0, 1, 0x58], "unknown status 'X' of run 'r'"),
      ([1, 1, 0x72, 0, 0, 6] + Array("Failed".utf8) + [4], "unknown flags 4 at 13"),
      ([1, 1, 0x72, 0, 0, 6] + Array("Failed".utf8), "block ends inside a run at byte 12"),
    ] as [([UInt8], String)])
  func aDamagedBlockNamesWhatIsWrongAndWhere(bytes: [UInt8], reason: String) {
    #expect(throws: ExecutionBlock.Malformed(reason: reason)) { try Self.decoded(bytes) }
  }
}
