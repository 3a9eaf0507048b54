import ArgumentParser
import Foundation
import SalvageCore

/// The flags every single-step command shares.
struct StepOptions: ParsableArguments, HasOutput {
  @OptionGroup var journal: JournalOptions
  @OptionGroup var temporal: TemporalOptions
  @OptionGroup var notify: NotifyOptions

  @Flag(help: "Change Temporal without asking for each command.")
  var yes = false

  @Flag(
    help:
      "Print every temporal command it would run, to the end, and change nothing (no lease, nothing journaled)."
  )
  var dryRun = false

  @Option(
    help:
      "Seconds to wait for workers still polling the bad version to be stopped before exiting 11 (default 300); workers that stopped and that the server only remembers are waited out apart from it."
  )
  var pollerWait: Double?

  @Flag(help: "Take the incident over from another operator's live run (recorded).")
  var takeOver = false

  @Flag(
    help:
      "When a controller manages the deployment (its manager_identity), take the manager identity for the incident (recorded; 'salvage close' hands it back). Without --yes salvage asks instead."
  )
  var claimManager = false

  @OptionGroup var outputOptions: OutputOptions<StepOutput>

  /// What `--output` prints.
  enum StepOutput: OutputHelp {
    static let help: ArgumentHelp = ArgumentHelp(
      "text, or json: JSON Lines, one object for each event recorded, report, progress, and the outcome "
        + "(with --dry-run, the plan as one JSON document).")
  }

  func validate() throws {
    if let pollerWait, !(pollerWait.isFinite && (0...86_400).contains(pollerWait)) {
      throw ValidationError("--poller-wait must be a number of seconds from 0 to 86400")
    }
  }

  /// Runs one step of the runbook, settling in-doubt actions first.
  func run(_ step: RunbookStep) async throws {
    let output = runOutput()
    try await RunbookSession.perform(output, takeOver: takeOver, dryRun: dryRun) {
      try RunbookSession(
        journal: journal, temporal: temporal, yes: yes, output: output, pollerWait: pollerWait,
        claimManager: claimManager || !yes,
        notify: notifyRequest(command: "salvage \(step.rawValue)"))
    } _: { runner in
      try await runner.run(only: step)
    }
  }

  /// What the run needs to notify the webhook; nothing for a dry run, which changes nothing.
  func notifyRequest(command: String) -> NotifyRequest? {
    dryRun ? nil : NotifyRequest(options: notify, command: command)
  }

  /// The run's output on stdout, as `--output` asks.
  func runOutput() -> RunOutput {
    RunOutput.live(json: output == .json, environment: LiveEnvironment.variables)
  }
}

extension SalvageCommand {
  struct Stop: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      abstract: "Stop the rollout: Current back to the good build, or the ramp to 0 % and removed.")
    @OptionGroup var options: StepOptions
    var speaksJSON: Bool { options.output == .json }
    func run() async throws { try await options.run(.stop) }
  }

  struct Identify: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      abstract:
        "Count and list the executions pinned to the bad build, per Workflow Type and status.")
    @OptionGroup var options: StepOptions
    var speaksJSON: Bool { options.output == .json }
    func run() async throws { try await options.run(.identify) }
  }

  struct Recover: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      abstract:
        "Recover the Running executions of every decided Workflow Type (one batch at a time).")
    @OptionGroup var options: StepOptions
    var speaksJSON: Bool { options.output == .json }
    func run() async throws { try await options.run(.recover) }
  }

  struct Drain: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      abstract: "Wait until the bad version has drained, re-issuing the recoveries if it stalls.")
    @OptionGroup var options: StepOptions
    var speaksJSON: Bool { options.output == .json }
    func run() async throws { try await options.run(.drain) }
  }

  struct ResetClosed: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      commandName: "reset-closed",
      abstract:
        "Reset the closed runs on the bad build exactly once, each checked just before, after drainage."
    )
    @OptionGroup var options: StepOptions
    var speaksJSON: Bool { options.output == .json }
    func run() async throws { try await options.run(.resetClosed) }
  }

  struct CleanUp: AsyncParsableCommand, JSONSpeaking {
    static let configuration = CommandConfiguration(
      commandName: "clean-up",
      abstract:
        "Wait for the bad version's workers to stop, delete the version, confirm it is gone.")
    @OptionGroup var options: StepOptions
    var speaksJSON: Bool { options.output == .json }
    func run() async throws { try await options.run(.cleanUp) }
  }
}
