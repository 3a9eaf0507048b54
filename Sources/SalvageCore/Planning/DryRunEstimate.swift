/// What a dry run's plan costs on a production cluster, from the server's published pace: how
/// many calls each action makes, about how long it takes, and how many Temporal Cloud Actions it
/// bills; and the waits the server's own clocks impose between them.
///
/// The pace: the server's batcher works through one batch at a time per namespace at 50
/// Workflows a second (`worker.BatcherRPS`, `frontend.MaxConcurrentBatchOperationPerNamespace`);
/// salvage's own per-run work (a closed run's check, history page and reset; a restart's
/// check, first event, terminate and start) goes at `--rps` calls a second; drainage is checked every 3 minutes after
/// a 3-minute grace; a stopped worker is forgotten 5 minutes after its last poll. Temporal Cloud
/// bills one Action per reset, per options update and per start.
public struct DryRunEstimate: Equatable, Sendable {
  /// A change, as the estimate counts it.
  public enum Call: String, Equatable, Sendable {
    case routing, manager, batchReset, batchUpdateOptions, resetRun, terminate, start, deleteVersion

    public init(_ change: TemporalChange) {
      switch change {
      case .setCurrentVersion, .setRampingVersion, .removeRamp: self = .routing
      case .setManager: self = .manager
      case .resetWithMove: self = .batchReset
      case .updateOptions, .unpin: self = .batchUpdateOptions
      case .resetRun: self = .resetRun
      case .terminateRun: self = .terminate
      case .startAgain: self = .start
      case .deleteVersion: self = .deleteVersion
      }
    }
  }

  /// The pace the estimate assumes.
  public struct Pace: Equatable, Sendable {
    /// Workflows a second one batch works through (the server's batcher default).
    public var batcherPerSecond = 50.0
    /// salvage's own per-run calls a second, at most (`--rps`).
    public var callsPerSecond: Double
    /// The longest drain wait after the last recovery on the server's default clocks.
    public var drainage = 360.0
    /// How long the server lists a stopped worker.
    public var pollerMemory = 300.0

    public init(callsPerSecond: Double) { self.callsPerSecond = callsPerSecond }
  }

  /// One action of the plan, or one wait between them.
  public struct Row: Equatable, Sendable {
    /// `stop`, `recover OrderWorkflow`, `reset-closed 0`, or a wait (`wait for drainage`).
    public let label: String
    public let calls: Int
    /// About how long, in seconds.
    public let seconds: Double
    /// Temporal Cloud Actions billed.
    public let actions: Int
    /// Whether the row is a wait on the server's clocks (its `seconds` is the most it takes).
    public let isWait: Bool
  }

  public let pace: Pace
  public let rows: [Row]

  public var calls: Int { rows.reduce(0) { $0 + $1.calls } }
  public var seconds: Double { rows.reduce(0) { $0 + $1.seconds } }
  public var waitSeconds: Double { rows.filter(\.isWait).reduce(0) { $0 + $1.seconds } }
  public var actions: Int { rows.reduce(0) { $0 + $1.actions } }

  /// The estimate of `plan`, in its order: each action's row, a drain wait after the last
  /// recovery, and a poller wait before the delete when workers still poll the bad version.
  public init(_ plan: DryRunPlan, pace: Pace) {
    self.pace = pace
    var rows: [Row] = []
    var order: [String] = []
    var grouped: [String: [DryRunPlan.Step]] = [:]
    for step in plan.steps {
      if grouped[step.action] == nil { order.append(step.action) }
      grouped[step.action, default: []].append(step)
    }
    // Only a plan that still recovers (or stops) has drainage to wait for.
    var drained = !plan.steps.contains { $0.step == .stop || $0.step == .recover }
    for action in order {
      let steps = grouped[action] ?? []
      guard let first = steps.first else { continue }
      if !drained, first.step == .resetClosed || first.step == .cleanUp {
        drained = true
        rows.append(Self.wait("wait for drainage", pace.drainage))
      }
      if first.step == .cleanUp, !plan.awaitedPollers.isEmpty {
        rows.append(
          Self.wait("wait for the bad workers to be stopped and forgotten", pace.pollerMemory))
      }
      let label = first.step.rawValue + (first.subject.map { " \($0)" } ?? "")
      rows.append(Self.row(label, steps, pace: pace))
    }
    self.rows = rows
  }

  static func wait(_ label: String, _ seconds: Double) -> Row {
    Row(label: label, calls: 0, seconds: seconds, actions: 0, isWait: true)
  }

  /// One action's calls, time and Actions from its changes.
  static func row(_ label: String, _ steps: [DryRunPlan.Step], pace: Pace) -> Row {
    var calls = 0
    var seconds = 0.0
    var actions = 0
    var perRunCalls = 0
    for step in steps {
      switch step.call {
      case .routing, .manager:
        // A describe for the conflict token, the change, and a look that it reached the queues.
        calls += 3
        seconds += 1
      case .batchReset, .batchUpdateOptions:
        let selected = step.selected ?? 0
        let batchSeconds = Double(selected) / pace.batcherPerSecond
        // The launch, then a describe a second until it ends.
        calls += 1 + Int(batchSeconds.rounded(.up))
        seconds += max(batchSeconds, 1)
        actions += selected
      case .resetRun:
        // The check (describe), the first Workflow Task (a history page), the reset.
        calls += 3
        perRunCalls += 3
        actions += 1
      case .terminate:
        calls += 1
        perRunCalls += 1
      case .start:
        // The check (describe), the first event (a history page), the start; a Running run's
        // terminate is its own step.
        calls += 3
        perRunCalls += 3
        actions += 1
      case .deleteVersion:
        calls += 2
        seconds += 1
      }
    }
    if perRunCalls > 0 { seconds += Double(perRunCalls) / max(pace.callsPerSecond, 0.001) }
    return Row(label: label, calls: calls, seconds: seconds, actions: actions, isWait: false)
  }
}
