import Foundation
import SalvageCore
@testable import SalvageTemporal
import Testing

/// `workflow list` lines are read by picking members straight from the tokens; the `Decodable`
/// model reads whatever that path gives up on. Both must see the same executions.
@Suite struct ListLineReaderTests {
  static let lines: [String] = ["list-bad.jsonl", "find-batch-by-identity.jsonl"].flatMap { name in
    String(decoding: Fixtures.data(name), as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test(arguments: lines)
  func eachLineTheServerPrintedReadsTheSameBothWays(line: String) throws {
    // Given a line the real CLI printed
    let data = Data(line.utf8)
    // When both readers read it
    let fast = try #require(ListEntryJSON.fastSummary(data), "the fast reader gave up on a real line")
    let decoded = try JSONDecoder().decode(ListEntryJSON.self, from: data).summary
    // Then they agree, search attributes and memo included
    #expect(fast == decoded)
    #expect(!fast.searchAttributes.isEmpty)
  }

  @Test(arguments: [
    #"{"execution":{"workflowId":"w","runId":"r"},"type":5}"#,
    #"{"execution":{"workflowId":"w","runId":"r"},"status":7}"#,
    #"{"execution":{"workflowId":"w","runId":"r"},"searchAttributes":{"indexedFields":{"A":"not an object"}}}"#,
    #"{"execution":{"workflowId":"w","runId":"r"},"memo":{"fields":{"m":{"a":[1,true,null,"x"]}}},"x":01}"#,
  ])
  func anOddlyShapedLineIsLeftToTheDecodableModel(line: String) throws {
    // Given a line shaped unlike what the CLI prints
    let data = Data(line.utf8)
    // Then the fast reader gives up rather than guess, and the model decides
    #expect(ListEntryJSON.fastSummary(data) == nil)
    _ = try? JSONDecoder().decode(ListEntryJSON.self, from: data)
  }

  @Test func aMemoAndNullsReadTheSameBothWays() throws {
    let line = #"{"execution":{"workflowId":"w","runId":"r"},"type":null,"status":"","closeTime":null,"#
      + #""memo":{"fields":{"m":{"a":[1.5,true,null,"x"]}}},"searchAttributes":{"indexedFields":{}}}"#
    let data = Data(line.utf8)
    let fast = try #require(ListEntryJSON.fastSummary(data))
    #expect(fast == (try JSONDecoder().decode(ListEntryJSON.self, from: data).summary))
    #expect(fast.memo["m"] == .object(["a": .list([.number(1.5), .bool(true), .null, .string("x")])]))
  }
}
