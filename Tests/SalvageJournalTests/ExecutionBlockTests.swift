import Foundation
import SalvageCore
import Testing

@testable import SalvageJournal

@Suite struct ExecutionBlockTests {
  static func decoded(_ bytes: [UInt8], chunk: Int? = nil) throws -> [ExecutionRecord] {
    try ExecutionBlock.records(in: bytes, chunk: chunk)
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

  static func blocks(of runs: [ExecutionRecord], maximumLength: Int = ExecutionBlock.maximumLength)
    throws -> [(chunk: Int?, runs: [ExecutionRecord])]
  {
    var blocks: [(chunk: Int?, runs: [ExecutionRecord])] = []
    try ExecutionBlock.forEachBlock(of: runs, maximumLength: maximumLength) { chunk, bytes in
      blocks.append((chunk, try decoded(bytes, chunk: chunk)))
    }
    return blocks
  }

  @Test func aSetIsCutIntoBlocksByChunkThenRunIDAtMostAThousandEach() throws {
    // Given 2,350 runs: 50 with no chunk, 1,200 of chunk 0, 1,100 of chunk 1, listed backwards
    let runs = (0..<2_350).reversed().map { number in
      ExecutionRecord(
        workflowID: "wf-\(number)", runID: String(format: "r%05d", number), workflowType: "T",
        status: .failed, hasReportedProblems: false,
        chunk: number < 50 ? nil : number < 1_250 ? 0 : 1)
    }
    // When it is cut into blocks
    let blocks = try Self.blocks(of: runs)
    // Then the runs with no chunk come first, then chunk 0 in two blocks, then chunk 1 in two
    #expect(blocks.map(\.chunk) == [nil, 0, 0, 1, 1])
    #expect(blocks.map(\.runs.count) == [50, 1_000, 200, 1_000, 100])
    // And each block is in run-id order
    #expect(blocks[1].runs.map(\.runID) == (50..<1_050).map { String(format: "r%05d", $0) })
  }

  @Test func chunksThatInterleaveInRunIDOrderAreStillStoredChunkByChunk() throws {
    // Given runs whose chunks alternate along the run ids
    let runs = (0..<10).map { number in
      ExecutionRecord(
        workflowID: "wf-\(number)", runID: "r\(number)", workflowType: "T", status: .failed,
        hasReportedProblems: false, chunk: number % 2 == 0 ? 1 : 0)
    }
    // When it is cut into blocks, then chunk 0's odd runs come first, then chunk 1's even ones
    let blocks = try Self.blocks(of: runs)
    #expect(blocks.map(\.chunk) == [0, 1])
    #expect(
      blocks.map { $0.runs.map(\.runID) } == [
        ["r1", "r3", "r5", "r7", "r9"], ["r0", "r2", "r4", "r6", "r8"],
      ])
  }

  @Test func aRunListedTwiceIsRefusedNamingIt() {
    let run = ExecutionRecord(
      workflowID: "wf", runID: "r1", workflowType: "T", status: .running,
      hasReportedProblems: false)
    #expect {
      try Self.blocks(of: [run, run])
    } throws: { error in
      guard case .sqlite(19, let message) = error as? JournalError else { return false }
      return message.contains("run r1 is twice")
    }
  }

  @Test func aRunListedTwiceAroundAnotherSpellingOfItsIDIsRefused() {
    // Given run ids "é" as one scalar (x) and as e and a combining accent (y), which String holds
    // equal, listed x, y, x
    let runs = ["\u{E9}", "e\u{301}", "\u{E9}"].map {
      ExecutionRecord(
        workflowID: "wf", runID: $0, workflowType: "T", status: .running,
        hasReportedProblems: false)
    }
    // Then the set is refused: x twice, and y is x to every reader of the set
    #expect {
      try Self.blocks(of: runs)
    } throws: { error in
      guard case .sqlite(19, let message) = error as? JournalError else { return false }
      return message.contains("is twice")
    }
  }

  @Test func aValueTooLongToReadBackIsRefusedBeforeAnythingIsWritten() {
    // Given a run whose Workflow Type is one byte over the longest value (here 10 bytes)
    let run = ExecutionRecord(
      workflowID: "wf", runID: "r1", workflowType: "Eleven-byte", status: .running,
      hasReportedProblems: false)
    // Then no block is handed over, and the error names the run and the length
    var written = 0
    #expect {
      try ExecutionBlock.forEachBlock(of: [run], maximumLength: 10) { _, _ in written += 1 }
    } throws: { error in
      guard case .sqlite(18, let message) = error as? JournalError else { return false }
      return message.contains("'r1' has a value of 11 bytes, over the 10")
    }
    #expect(written == 0)
  }

  /// A well-formed Failed run without the format byte (a block's first run takes `[1] +`).
  static func run(_ id: String) -> [UInt8] {
    [UInt8(id.utf8.count)] + Array(id.utf8) + [0, 0, 6] + Array("Failed".utf8) + [0]
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
      ([1, 1, 0x72, 0, 0, 6] + Array("Failed".utf8) + [4], "unknown flags 4 at byte 12"),
      ([1], "a block of no runs"),
      (
        [1] + ExecutionBlockTests.run("r2") + ExecutionBlockTests.run("r1"),
        "run 'r1' out of run-id order after 'r2'"
      ),
      (
        [1] + ExecutionBlockTests.run("r1") + ExecutionBlockTests.run("r1"),
        "run 'r1' out of run-id order after 'r1'"
      ),
      ([1, 1, 0x72, 0, 0, 6] + Array("Failed".utf8), "block ends inside a run at byte 12"),
    ] as [([UInt8], String)])
  func aDamagedBlockNamesWhatIsWrongAndWhere(bytes: [UInt8], reason: String) {
    #expect(throws: ExecutionBlock.Malformed(reason: reason)) { try Self.decoded(bytes) }
  }
}
