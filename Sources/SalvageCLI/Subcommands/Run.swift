import ArgumentParser
import Foundation
import SalvageCore

extension SalvageCommand {
  struct Run: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      abstract: "Drive the runbook from wherever the journal says the incident stands.",
      discussion: "Resumes after any crash from the last committed event. Exit codes: README.")

    @OptionGroup var options: StepOptions

    @Option(help: "Stop once the incident reaches this phase.")
    var until: PhaseArgument?

    @Option(help: "A JSON policy file deciding the strategy of Workflow Types nobody decided.")
    var policy: String?

    @Option(
      help:
        "A Bool search attribute declaring whether executions are restartable; decides the types it covers."
    )
    var restartableAttribute: String?

    @Option(help: "The replay-safe build for types the attribute declares not restartable.")
    var replaySafeBuild: String?

    var speaksJSON: Bool { options.output == .json }

    func validate() throws {
      do {
        if let replaySafeBuild {
          _ = try TemporalNames.buildID(replaySafeBuild, role: "replay-safe")
        }
        if let restartableAttribute { _ = try SearchAttribute(restartableAttribute) }
        if let policy { _ = try TemporalNames.setting(policy, what: "--policy") }
      } catch {
        throw ValidationError(String(describing: error))
      }
    }

    func run() async throws {
      let loaded = try policy.map {
        RunbookRunner.PolicyFile(try Decide.load($0), file: ($0 as NSString).lastPathComponent)
      }
      let attribute = try restartableAttribute.map {
        RunbookRunner.RestartableAttribute(
          try SearchAttribute($0), replaySafeBuild: replaySafeBuild)
      }
      let output = options.runOutput()
      try await RunbookSession.perform(output, takeOver: options.takeOver, dryRun: options.dryRun) {
        try RunbookSession(
          journal: options.journal, temporal: options.temporal, yes: options.yes, output: output,
          policy: loaded,
          attribute: attribute, pollerWait: options.pollerWait,
          claimManager: options.claimManager || !options.yes,
          notify: options.notifyRequest(command: "salvage run"))
      } _: { runner in
        try await runner.run(until: until?.phase)
      }
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
