import SalvageCore
import SalvageFakes
import SalvageTemporal
import SalvageTestSupport
import Testing

/// What a real server's visibility matches inside a string literal, as salvage renders it: the
/// reason `open` refuses a deployment or bad build holding a double quote or a backslash (such an
/// incident was once identified, drained and cleaned with nothing found).
@Suite(.tags(.integration), .serialized) struct VisibilityLiteralIntegrationTests {
  @Test func visibilityMatchesAQuoteButNeitherADoubleQuoteNorABackslash() async throws {
    // Given one Running workflow of each of three types holding a special character
    let scenario = try await Scenario()
    let types = ["O'Brien", "Ledger \"main\"", "back\\slash"]
    for (index, type) in types.enumerated() {
      try await scenario.start(type: type, count: 1, prefix: "literal-\(index)")
    }
    let client = try scenario.client
    try await eventually(within: 30, "the three to be visible") {
      try await client.count(.startsWith(.workflowID, "literal-")) == 3
    }
    // When each is counted by its name, as salvage renders it
    let counts = try await [
      client.count(.equals(.workflowType, types[0])),
      client.count(.equals(.workflowType, types[1])),
      client.count(.equals(.workflowType, types[2])),
    ]
    // Then only the single quote (escaped by a backslash) is matched
    #expect(counts == [1, 0, 0])
  }
}
