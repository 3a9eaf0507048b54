import ArgumentParser
import Foundation
import SalvageCore

extension SalvageCommand {
  struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Drive the runbook from wherever the journal says the incident stands.",
      discussion: "Resumes after any crash from the last committed event. Exit codes: README.")

    @OptionGroup var journal: JournalOptions
    @OptionGroup var temporal: TemporalOptions

    @Flag(help: "Change Temporal without asking for each command.")
    var yes = false

    @Flag(help: "Print the temporal command the next step would run, and change nothing.")
    var dryRun = false

    @Option(help: "Stop once the incident reaches this phase.")
    var until: PhaseArgument?

    @Option(help: "A JSON policy file deciding the strategy of Workflow Types nobody decided.")
    var policy: String?

    @Option(help: "A Bool search attribute declaring whether executions are restartable; decides the types it covers.")
    var restartableAttribute: String?

    @Option(help: "The replay-safe build for types the attribute declares not restartable.")
    var replaySafeBuild: String?

    @Option(help: "Seconds to wait for the bad version's workers to stop before exiting 11 (default 300).")
    var pollerWait: Double?

    func run() async throws {
      let loaded = try policy.map { (try Decide.load($0), file: ($0 as NSString).lastPathComponent) }
      let attribute = try restartableAttribute.map { (try SearchAttribute($0), replaySafeBuild: replaySafeBuild) }
      let session = try RunbookSession(
        journal: journal, temporal: temporal, yes: yes, policy: loaded, attribute: attribute,
        pollerWait: pollerWait)
      try RunbookSession.finish(try session.runner.run(until: until?.phase, dryRun: dryRun), incident: session.incident)
    }
  }
}

/// `--until`: a phase the runbook can be asked to stop at.
enum PhaseArgument: String, ExpressibleByArgument, CaseIterable {
  case stopped, identified, recovering, drained, cleaned

  var phase: IncidentPhase {
    switch self {
    case .stopped: .stopped
    case .identified: .identified
    case .recovering: .recovering
    case .drained: .drained
    case .cleaned: .cleaned
    }
  }
}
