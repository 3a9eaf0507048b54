import SalvageCore
import SalvageFakes
import Testing

/// A closed run's reset delivered just before the process died, which the server carries out a
/// few seconds later (within the reset's 10 s deadline): the next run must not send it again
/// before ``RunbookRunner/Timing/perRunLostAnswerWindow`` has passed since it was sent, as a run
/// that saw the answer lost itself does not.
@Suite struct ClosedResetLostInACrashTests {
  @Test("A closed reset delivered as the process died and landing late is not sent again")
  func aClosedResetDeliveredAsTheProcessDiedAndLandingLateIsNotSentAgain() async throws {
    // Given one closed run a chunk, and a run that dies once the first closed run's reset has
    // reached the server, which resets that run 8 s later
    let world = try RunbookInProcess()
    let closed = world.runIDs("FailWorkflow") + world.runIDs("TimeoutWorkflow")
    let first = try #require(closed.min())
    world.cluster.resetLate(first, afterSeconds: 8)
    world.cluster.crashMidCall(action: "reset-closed-0-1", nth: 1, delivered: true)
    await #expect(throws: CrashSwitch.Crashed.self) {
      _ = try await world.runner(chunkSize: 1, concurrency: 1).run()
    }
    // When a fresh runner finishes the incident, and the server's late reset has landed
    #expect(try await world.runner(chunkSize: 1, concurrency: 1).run() == .finished)
    world.cluster.advance(seconds: 60)
    // Then that run was reset once, and the journal credits the late reset
    #expect(world.cluster.resetsPerRun[first] == 1)
    let outcome = try #require(try world.state).progress.closedResets.values.flatMap { $0 }.first {
      $0.runID == first
    }
    #expect(outcome?.result == .alreadyReset)
  }
}
