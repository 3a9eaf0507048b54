import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Decide: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract:
        "Record the recovery strategy of a Workflow Type (or of every type a policy file names).",
      discussion: """
        Restartable types are reset to their first Workflow Task on the good build. Types that are \
        not restartable go to a replay-safe --target-build: by Versioning Override when their state \
        is intact, by a reset to their last Workflow Task when --corrupted. With --restart (the \
        runbook's "stateless or simple replacement is acceptable"), each Running execution is \
        terminated and started again from its first event's arguments on the good build (or \
        --target-build); children and Nexus-started runs are refused. After drainage, the \
        type's closed runs are reset once in the --closed-statuses chosen for it (default \
        Failed,TimedOut; Completed, Terminated and Canceled may be added; ContinuedAsNew never is).
        """)

    @OptionGroup var journal: JournalOptions

    @Option(help: "The Workflow Type.")
    var type: String?

    @Flag(
      inversion: .prefixedNo,
      help: "Whether the type can safely re-execute from the start of its run.")
    var restartable: Bool?

    @Flag(
      help: "Terminate and restart its executions with their original arguments (stateless types).")
    var restart = false

    @Flag(help: "Its state was recently corrupted by the bad build.")
    var corrupted = false

    @Option(help: "The build to move it to (a replay-safe build; default: the good build).")
    var targetBuild: String?

    @Flag(
      help:
        "Move its Running executions with one-time Versioning Overrides (Temporal server 1.32+), which the server clears once a Workflow Task completed on the target, instead of pinned ones that stay until removed."
    )
    var oneTimeOverride = false

    @Option(
      help: ArgumentHelp(
        "The closed statuses whose runs of this type are reset after drainage, comma-separated "
          + "(default: Failed,TimedOut).",
        valueName: "statuses"))
    var closedStatuses: String?

    @Option(help: "Why, in a sentence: it goes into the record.")
    var rationale = ""

    @Option(help: "A JSON policy file: decide every type it names (docs/commands.md, Strategies).")
    var policy: String?

    @OptionGroup var outputOptions: OutputOptions<TextOrJSON>

    func validate() throws {
      if policy == nil, type == nil || (restartable == nil && !restart) {
        throw ValidationError(
          "give --type and --restartable, --no-restartable or --restart, or --policy FILE")
      }
      if restart, restartable == false || corrupted {
        throw ValidationError(
          "--restart replaces the executions: it goes without --no-restartable and --corrupted")
      }
      if oneTimeOverride, policy != nil {
        throw ValidationError(
          "--one-time-override goes with --type; a policy file says \"oneTimeOverride\": true per type"
        )
      }
      if restart, policy != nil {
        throw ValidationError(
          "--restart goes with --type; a policy file says \"restart\": true per type")
      }
      do {
        if let type { _ = try TemporalNames.workflowType(type) }
        if let targetBuild { _ = try TemporalNames.buildID(targetBuild, role: "target") }
        _ = try Rationale.validate(rationale)
        if let policy { _ = try TemporalNames.setting(policy, what: "--policy") }
        if let closedStatuses {
          guard policy == nil else {
            throw InputError(
              "--closed-statuses goes with --restartable; a policy file names closedStatuses per type"
            )
          }
          _ = try ClosedStatuses.parse(closedStatuses)
        }
      } catch {
        throw ValidationError(String(describing: error))
      }
    }

    func run() async throws {
      let environment = LiveEnvironment.variables
      let writer = try journal.openWriter(environment)
      let id = writer.incident
      let loaded = try policy.map { path in (try Self.load(path), path) }
      let recorded = try writer.update { state in
        guard let details = state?.details else {
          throw CommandError.incident("incident \(id) was never opened")
        }
        try IncidentOwner.refuseUndrivable(state)
        if let (policy, path) = loaded {
          // Without --type: every undecided type, those with closed runs only too (for their closedStatuses).
          let types =
            type.map { [$0] }
            ?? ((state?.progress.undecidedTypes ?? [])
              + (state?.progress.undecidedClosedOnlyTypes ?? []))
          let decisions = try types.compactMap {
            try policy.decision(for: $0, incident: details, file: path)
          }
          guard !decisions.isEmpty else {
            throw CommandError.usage("\(path) decides none of: \(types.joined(separator: ", "))")
          }
          return decisions.map(IncidentEvent.strategyDecided)
        }
        guard let type, let restartable = restartable ?? (restart ? true : nil) else { return [] }
        let statuses =
          try closedStatuses.map { try ClosedStatuses.parse($0) } ?? ClosedStatuses.default
        return [
          .strategyDecided(
            try StrategyDecided.make(
              workflowType: type, restartable: restartable, corrupted: corrupted,
              replaySafeBuild: targetBuild,
              incident: details, source: .operatorDecision, rationale: rationale,
              closedStatuses: statuses, restart: restart, oneTimeOverride: oneTimeOverride))
        ]
      }
      guard output == .json else {
        for event in recorded { say("Decided: \(event.event.summary)") }
        return
      }
      var view = writer.recordedView(recorded)
      view.decisions = recorded.compactMap { recorded -> StrategyDecided? in
        guard case .strategyDecided(let decision) = recorded.event else { return nil }
        return decision
      }
      say(try JSONOutput.render(view))
    }

    static func load(_ path: String) throws -> DecisionPolicy {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw InputError("cannot read policy file \(path)")
      }
      return try DecisionPolicy.checked(data, name: (path as NSString).lastPathComponent)
    }
  }
}
