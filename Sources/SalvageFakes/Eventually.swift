import Foundation

/// Why ``eventually(within:_:_:)`` gave up.
public struct NeverHappened: Error, CustomStringConvertible {
  public let description: String
}

/// Polls `condition` every 200 ms until it holds, or throws after `seconds` naming `what`.
///
/// For waiting on a real server's eventual state (visibility, drainage, poller history), never
/// for timing assertions: the bound is generous so a loaded 2-core machine still passes. It sleeps
/// with `Task.sleep`, so it does not hold one of Swift concurrency's threads while it waits.
public func eventually(
  within seconds: Double, _ what: String, _ condition: () async throws -> Bool
) async throws {
  let deadline = Date().addingTimeInterval(seconds)
  var lastError: (any Error)?
  repeat {
    do {
      if try await condition() { return }
      lastError = nil
    } catch {
      lastError = error
    }
    try await Task.sleep(for: .milliseconds(200))
  } while Date() < deadline
  throw NeverHappened(
    description: "waited \(Int(seconds)) s for \(what)"
      + (lastError.map { " (last error: \($0))" } ?? ""))
}
