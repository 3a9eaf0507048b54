public import ArgumentParser
import Foundation

/// The root of the `salvage` command tree.
public struct SalvageCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "salvage",
    abstract:
      "Recover pinned Workflows after a bad Temporal rollout, with a journal of every step.",
    discussion: "Exit codes are listed in the README (0 ok, 2 does not verify, 3 incident, "
      + "4 journal, 5 conflict, 6 another operator drives it, 10 decision needed, 11 operator needed, 13 not confirmed, "
      + "20 Temporal failed, 64 usage, 74 disk full, 141 output closed).",
    version: SalvageVersion.line,
    subcommands: [
      Open.self, Status.self, Log.self, Note.self, Close.self, Verify.self, Run.self, Stop.self,
      Identify.self, Decide.self, Recover.self,
      Drain.self, ResetClosed.self, CleanUp.self, Handoff.self, Export.self, Import.self,
      TimelineCommand.self, Targets.self, Unpin.self,
      Watch.self, Config.self, Version.self,
    ]
  )

  public init() {}

  /// Parses, runs, and turns every failure into one line on stderr and a documented exit code.
  ///
  /// With `--output json` the error is one JSON object on stderr instead,
  /// `{"error": "…", "exit": N}`: stdout keeps only the command's own JSON.
  public static func runMain(_ arguments: [String]? = nil) async -> Never {
    StandardStreams.ignoreBrokenPipeSignal()
    var json = OutputFormat.askedForJSON(in: arguments ?? Array(CommandLine.arguments.dropFirst()))
    StandardStreams.reportInJSON(json)
    do {
      var command = try parseAsRoot(arguments)
      json = (command as? any JSONSpeaking)?.speaksJSON ?? json
      StandardStreams.reportInJSON(json)
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
      Foundation.exit(ExitStatus.success.rawValue)
    } catch {
      let status = ExitStatus(for: error)
      if status == .success || status == .helpShown {
        exit(withError: error)  // --help, --version: ArgumentParser prints them
      }
      let hint = status == .usage ? " (see 'salvage help')" : ""
      let line =
        json
        ? (try? JSONOutput.render(
          ErrorView(error: ExitStatus.message(for: error), exit: status.rawValue), pretty: false))
        : nil
      StandardStreams.error((line ?? "salvage: \(ExitStatus.message(for: error))\(hint)") + "\n")
      Foundation.exit(status.rawValue)
    }
  }
}

/// An error under `--output json`, on stderr: the message `salvage: …` would show, and the exit status.
private struct ErrorView: Encodable {
  let error: String
  let exit: Int32
}
