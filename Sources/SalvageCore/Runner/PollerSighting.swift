/// What the server's list of a version's pollers says about its workers, read against the
/// server's two clocks.
///
/// The matching service notes a poller when its poll arrives (and, on newer servers, when the
/// poll returns), and holds an idle poll for `matching.longPollExpirationInterval` (60 s): a
/// worker still polling has polled within about a minute. A worker that stopped stays listed, with
/// its last poll, for `matching.PollerHistoryTTL` (5 minutes by default), and while it is listed
/// the server refuses to delete the version. So a listed poller is one of two things: **live**,
/// polled within ``RunbookRunner/Timing/livePollWindow`` or seen polling again since the last
/// look, which only the operator can stop; or **remembered**, gone quiet, which the server
/// forgets on its own ``RunbookRunner/Timing/pollerMemory`` after its last poll.
public struct PollerSighting: Equatable, Sendable {
  /// A worker the server lists though it has not polled for a while.
  public struct Remembered: Equatable, Sendable {
    public let identity: String
    /// Seconds since its last poll, by salvage's clock.
    public let lastPolledAgo: Int
    /// Seconds until the server should forget it (0 once that is past).
    public let forgottenIn: Int

    public init(identity: String, lastPolledAgo: Int, forgottenIn: Int) {
      self.identity = identity
      self.lastPolledAgo = lastPolledAgo
      self.forgottenIn = forgottenIn
    }
  }

  /// Workers that still poll, by identity, sorted.
  public let live: [String]
  /// The live workers seen polling again since the previous look: certainly not stopped (one
  /// live only by the age of its last poll may have stopped within the long poll).
  public let pollingAgain: [String]
  /// Seconds since each live worker's last poll (none for one the server gives no time).
  public let liveLastPolledAgo: [String: Int]
  /// Workers the server only remembers, by identity.
  public let remembered: [Remembered]
  /// Each listed identity's latest poll, to tell at the next look which of them polled again.
  public let lastPolls: [String: UTCTime]

  /// Reads `pollers` at `now`. A poller with no last access time, or one whose last poll moved
  /// since `previous` (whatever the two clocks say), is live.
  public init(
    _ pollers: [Poller], at now: UTCTime, livePollWindow: Double, memory: Double,
    previous: PollerSighting? = nil
  ) {
    // One worker polls several queues (workflow and activity): its latest poll speaks for it.
    var latest: [String: UTCTime] = [:]
    var untimed: Set<String> = []
    for poller in pollers {
      guard let access = poller.lastAccess else {
        untimed.insert(poller.identity)
        continue
      }
      latest[poller.identity] = max(latest[poller.identity] ?? access, access)
    }
    var live: [String] = []
    var pollingAgain: [String] = []
    var remembered: [Remembered] = []
    var liveLastPolledAgo: [String: Int] = [:]
    for identity in Set(latest.keys).union(untimed).sorted() {
      guard let access = latest[identity], !untimed.contains(identity) else {
        // No last poll to read: live, and as certain as one seen polling again.
        live.append(identity)
        pollingAgain.append(identity)
        continue
      }
      let ago = max(Double(now.millisecondsSinceEpoch - access.millisecondsSinceEpoch) / 1000, 0)
      let pollsAgain = previous?.lastPolls[identity].map { access > $0 } ?? false
      if pollsAgain { pollingAgain.append(identity) }
      if ago < livePollWindow || pollsAgain {
        live.append(identity)
        liveLastPolledAgo[identity] = Int(ago)
      } else {
        remembered.append(
          Remembered(
            identity: identity, lastPolledAgo: Int(ago),
            forgottenIn: Int(max(memory - ago, 0).rounded(.up))))
      }
    }
    self.live = live
    self.pollingAgain = pollingAgain
    self.liveLastPolledAgo = liveLastPolledAgo
    self.remembered = remembered
    self.lastPolls = latest
  }

  /// Every listed identity, sorted.
  public var identities: [String] { (live + remembered.map(\.identity)).sorted() }

  /// Whether the server lists no poller at all.
  public var isEmpty: Bool { live.isEmpty && remembered.isEmpty }

  /// The sighting as the journal records it.
  public var checked: PollersChecked {
    PollersChecked(identities: identities, remembered: rememberedIdentities)
  }

  /// The remembered identities, sorted.
  public var rememberedIdentities: [String] { remembered.map(\.identity) }

  /// Whether only remembered workers are listed and every one of them is still listed `margin`
  /// seconds past the time the server should have forgotten it: this server remembers longer
  /// than its default, and the wait has no end salvage can see.
  public func overdue(memory: Double, margin: Double) -> Bool {
    live.isEmpty && !remembered.isEmpty
      && remembered.allSatisfy { Double($0.lastPolledAgo) >= memory + margin }
  }
}
