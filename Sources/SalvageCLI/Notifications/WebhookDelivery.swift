import Foundation
import SalvageTemporal
import Synchronization

/// Posts a run's notifications to the webhook in the background, in order, so that no
/// notification ever blocks or fails the run: a bounded queue (the oldest message is dropped, and
/// counted, when it is full), a timeout on each post, a few attempts with a growing pause between
/// them, then the message is given up and ``undelivered`` is told (the run journals a note).
final class WebhookDelivery: Sendable {
  /// The bounds.
  struct Policy: Sendable {
    /// Messages waiting at most; a new one past it drops the oldest.
    var capacity = 16
    /// How long one post may take.
    var timeout: Duration = .seconds(5)
    /// The pauses before the second, third and fourth attempts.
    var backoff: [Duration] = [.seconds(1), .seconds(2), .seconds(4)]
    /// How long the end of a run waits for the queue to empty.
    var flushWithin: Duration = .seconds(3)
    /// How long, within ``flushWithin``, the run's last message waits behind the queue before it
    /// is posted at once, beside a message still in its attempts.
    var lastWaitsAtMost: Duration = .seconds(1)
  }

  /// A message that could not be delivered, and why (never the webhook's address).
  struct Undelivered: Sendable {
    let notification: RunNotification
    let attempts: Int
    let reason: String
  }

  /// What a post got: the HTTP status, or a failure described without the address.
  typealias Post = @Sendable (_ body: Data, _ timeout: Duration) async -> PostResult

  enum PostResult: Sendable, Equatable {
    case status(Int)
    case failed(String)
  }

  /// How the run's deliveries went, once ``finish()`` returned.
  struct Summary: Sendable, Equatable {
    var delivered = 0
    var givenUp = 0
    /// Dropped from a full queue.
    var dropped = 0
    /// Still waiting (or in flight) when the end's bound ran out.
    var leftOver = 0
  }

  private struct State {
    var queue: [RunNotification] = []
    var summary = Summary()
    /// Drops not yet told in a message.
    var untoldDrops = 0
    var inFlight: RunNotification?
  }

  let policy: Policy
  private let post: Post
  private let deliver: @Sendable (RunNotification) async -> Undelivered?
  private let scrubber: SecretScrubber
  private let undelivered: @Sendable (Undelivered) -> Void
  private let shared: Shared
  private let wake: AsyncStream<Void>.Continuation
  private let worker: Task<Void, Never>

  init(
    policy: Policy = Policy(), scrubber: SecretScrubber, post: @escaping Post,
    undelivered: @escaping @Sendable (Undelivered) -> Void
  ) {
    self.policy = policy
    self.post = post
    self.scrubber = scrubber
    self.undelivered = undelivered
    let (signals, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    self.wake = wake
    let shared = Shared()
    self.shared = shared
    let deliver = Self.deliverer(policy: policy, post: post, scrubber: scrubber)
    self.deliver = deliver
    worker = Task {
      for await _ in signals {
        while let next = shared.next() {
          let outcome = await deliver(next)
          if Task.isCancelled { return }
          shared.state.withLock { state in
            state.inFlight = nil
            if outcome == nil { state.summary.delivered += 1 } else { state.summary.givenUp += 1 }
          }
          if let outcome { undelivered(outcome) }
        }
      }
    }
  }

  /// Queues a message and returns at once.
  func send(_ notification: RunNotification) {
    shared.state.withLock { state in
      if state.queue.count >= policy.capacity {
        state.queue.removeFirst()
        state.summary.dropped += 1
        state.untoldDrops += 1
      }
      state.queue.append(notification)
    }
    wake.yield()
  }

  /// Waits at most ``Policy/flushWithin`` for the queue to empty, then stops: what is left is
  /// counted, never sent. The run's `last` message (a stop for a person, the end) goes after the
  /// queue when it empties within ``Policy/lastWaitsAtMost``, else at once beside it, so that the
  /// earlier messages, not the last, are the ones a slow webhook leaves unsent.
  func finish(last: RunNotification? = nil) async -> Summary {
    let clock = ContinuousClock()
    let deadline = clock.now + policy.flushWithin
    wake.finish()
    let worker = worker
    var lastLeft = 0
    if var last {
      _ = await Self.within(min(policy.lastWaitsAtMost, policy.flushWithin)) { await worker.value }
      last.dropped = shared.state.withLock { state in
        defer { state.untoldDrops = 0 }
        return state.untoldDrops
      }
      let deliver = deliver
      let sending = Task { [last] in await deliver(last) }
      if await Self.within(deadline - clock.now, { _ = await sending.value }) {
        let outcome = await sending.value
        shared.state.withLock { state in
          if outcome == nil { state.summary.delivered += 1 } else { state.summary.givenUp += 1 }
        }
        if let outcome { undelivered(outcome) }
      } else {
        sending.cancel()
        lastLeft = 1
      }
    }
    if !(await Self.within(deadline - clock.now, { await worker.value })) { worker.cancel() }
    return shared.state.withLock { state in
      state.summary.leftOver = state.queue.count + (state.inFlight == nil ? 0 : 1) + lastLeft
      state.queue.removeAll()
      state.inFlight = nil
      return state.summary
    }
  }

  /// Waits for `work` at most `bound`; whether it finished by then. Past the bound it is left to
  /// run (cancel it if need be): the caller never waits on it longer.
  static func within(_ bound: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool
  {
    let answer = Answer()
    return await withCheckedContinuation { continuation in
      answer.continuation.withLock { $0 = continuation }
      Task {
        await work()
        answer.give(true)
      }
      Task {
        try? await Task.sleep(for: bound)
        answer.give(false)
      }
    }
  }

  /// The first of two answers, given once.
  private final class Answer: Sendable {
    let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)

    func give(_ value: Bool) {
      continuation.withLock { continuation in
        continuation?.resume(returning: value)
        continuation = nil
      }
    }
  }

  /// The queue, shared by the senders and the worker.
  private final class Shared: Sendable {
    let state = Mutex(State())

    /// The next message, marked in flight, with the drops since the last one told.
    func next() -> RunNotification? {
      state.withLock { state in
        guard !state.queue.isEmpty else { return nil }
        var next = state.queue.removeFirst()
        next.dropped = state.untoldDrops
        state.untoldDrops = 0
        state.inFlight = next
        return next
      }
    }
  }

  /// Posts one message with its attempts: `nil` when delivered, else why it was given up.
  private static func deliverer(policy: Policy, post: @escaping Post, scrubber: SecretScrubber)
    -> @Sendable (RunNotification) async -> Undelivered?
  {
    { notification in
      let body = notification.body(scrubbing: scrubber)
      var reason = "not sent"
      let attempts = policy.backoff.count + 1
      for attempt in 1...attempts {
        switch await post(body, policy.timeout) {
        case .status(let code) where (200..<300).contains(code):
          return nil
        case .status(let code) where code == 429 || code >= 500:
          reason = "HTTP \(code)"
        case .status(let code):
          // The webhook refused the message itself (a revoked token, a bad body): no retry.
          return Undelivered(notification: notification, attempts: attempt, reason: "HTTP \(code)")
        case .failed(let why):
          reason = scrubber.scrub(why)
        }
        guard attempt < attempts, !Task.isCancelled else {
          return Undelivered(notification: notification, attempts: attempt, reason: reason)
        }
        try? await Task.sleep(for: policy.backoff[attempt - 1])
      }
      return Undelivered(notification: notification, attempts: attempts, reason: reason)
    }
  }
}
