import ArgumentParser
import Foundation
import SalvageCore

extension SalvageCommand {
  struct Unpin: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Remove the Versioning Overrides salvage's recovery left (a dry run unless --yes).",
      discussion: """
        Once the incident is cleaned (or closed) and the builds salvage pinned executions to may be \
        retired. Without --yes it describes each Running execution of the incident's workflow ids \
        (and their children) on those builds and prints which it would unpin and which it leaves \
        pinned, and why: an execution whose last Workflow Task completed on the bad build (or none \
        since it was pinned) would go back there, so it stays pinned until a task completes on its \
        build. With --yes it records that review and removes the overrides, one batch under its \
        own job id per chunk of runs. Running it again takes what is left. Exit codes: README.
        """)

    @OptionGroup var journal: JournalOptions
    @OptionGroup var temporal: TemporalOptions
    @OptionGroup var notify: NotifyOptions

    @Flag(
      help:
        "Remove the overrides (recorded); without it, print what it would do and change nothing.")
    var yes = false

    @Flag(help: "Take the incident over from another operator's live run (recorded).")
    var takeOver = false

    @OptionGroup var outputOptions: OutputOptions<UnpinOutput>

    /// What `--output` prints.
    enum UnpinOutput: OutputHelp {
      static let help: ArgumentHelp = ArgumentHelp(
        "text, or json: JSON Lines, one object for each event recorded and the outcome (without "
          + "--yes, the plan as one JSON document).")
    }

    func run() async throws {
      let output = RunOutput.live(json: output == .json, environment: LiveEnvironment.variables)
      try await RunbookSession.perform(output, takeOver: takeOver, dryRun: !yes) {
        try RunbookSession(
          journal: journal, temporal: temporal, yes: yes, output: output,
          notify: yes ? NotifyRequest(options: notify, command: "salvage unpin") : nil)
      } _: { runner in
        try await runner.unpin()
      }
    }
  }
}
