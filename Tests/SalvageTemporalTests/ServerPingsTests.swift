import GRPCCore
import SalvageCore
import SalvageFakes
import SalvageTestSupport
import Testing

@testable import SalvageTemporal

/// A grpc-go server (Temporal's frontend) pings the client about once a call; swift-nio-http2
/// closes a connection whose peer sends more than 200 control frames in 30 s. Every call in
/// flight then failed with 'Stream unexpectedly closed.': at scale a few closed runs' resets a
/// chunk were lost answers, each held for the per-run lost-answer window.
@Suite(.tags(.integration)) struct ServerPingsTests {
  @Test func manyCallsOverOneClientAreNotCutOffByAServerThatPingsOnEachRequest() async throws {
    // Given a server behind a proxy that pings the client before each request body, as grpc-go
    // does, and one client to it
    let server = try await EchoingTemporalServer()
    let proxy = try PingingProxy(upstreamPort: server.port)
    let client = try GRPCTemporalClient.connect(
      GRPCEndpoint(host: "127.0.0.1", port: proxy.port, namespace: "default"))

    // When 600 changes (never retried) are made over the client, 16 at once
    let answers = try await paced(Array(0..<600), width: 16) { _ in
      do {
        _ = try await client.change("DescribeNamespace") {
          try await $0.describeNamespace(.init(), metadata: $1, options: $2)
        }
        return "answered"
      } catch {
        return "\(error)"
      }
    }
    await client.close()
    proxy.stop()
    await server.stop()

    // Then each one is the server's own answer (the echo's refusal), none cut off on the way
    let cutOff = answers.filter { !$0.contains("DescribeNamespace refused") }
    #expect(cutOff.isEmpty, "\(cutOff.count) of 600 calls cut off: \(cutOff.first ?? "")")
    #expect(proxy.pings >= 600)
  }

  @Test func aConnectionStartsAHundredCallsIn30SecondsAndCallsSpreadOutStayOnIt() {
    // Given a connection's budget, as the client keeps it
    var budget = ConnectionBudget()
    let start = ContinuousClock.now

    // When 100 calls start within a second, then all go on the connection, and the next
    // connection is made ahead from the 75th on
    let first = (0..<100).map { budget.start(at: start + .milliseconds($0 * 10)) }
    #expect(first.prefix(74).allSatisfy { $0 == .current })
    #expect(first.dropFirst(74).allSatisfy { $0 == .currentAndMakeNext })
    // and the 101st goes on the next connection
    #expect(budget.start(at: start + .seconds(1)) == .next)

    // When a call starts every second for ten minutes, then they all stay on one connection
    var steady = ConnectionBudget()
    #expect((0..<600).allSatisfy { steady.start(at: start + .seconds($0)) == .current })
  }
}
