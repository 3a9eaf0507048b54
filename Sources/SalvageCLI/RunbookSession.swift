import Foundation
import SalvageCore
import SalvageJournal
import SalvageTemporal

#if canImport(Glibc)
  import Glibc
#endif

/// Writes a line to stdout at once (unbuffered), so progress, prompts and results keep their order.
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The live wiring of a runbook run: journal, `temporal` client, confirmation and progress.
struct RunbookSession {
  let runner: RunbookRunner
  let incident: IncidentID

  init(
    journal: JournalOptions, temporal: TemporalOptions, yes: Bool,
    policy: (DecisionPolicy, file: String)? = nil,
    attribute: (SearchAttribute, replaySafeBuild: String?)? = nil, pollerWait: Double? = nil
  ) throws {
    let environment = LiveEnvironment.variables
    let actor = try journal.operatorName(environment)
    let store = try journal.openJournal(environment)
    let id = try journal.resolveIncident(in: store)
    guard let details = try store.state(of: id)?.details else {
      throw CommandError.incident("incident \(id) was never opened")
    }
    let client = ProcessTemporalClient(
      connection: temporal.connection(namespace: details.namespace, environment))
    incident = id
    var timing = RunbookRunner.Timing()
    if let pollerWait { timing.pollerWait = pollerWait }
    runner = RunbookRunner(
      journal: store, temporal: client, incident: id, actor: actor,
      environment: .init(
        newEventID: LiveEnvironment.eventID,
        confirm: { command in yes || Self.ask(command) },
        report: { line in say("  " + line) },
        progress: { line in if isatty(STDOUT_FILENO) == 1 { say("  … " + line) } },
        boundary: Self.crashHook(environment),
        sleep: { Thread.sleep(forTimeInterval: $0) }, policy: policy, attribute: attribute,
        timing: timing))
  }

  /// Asks on a terminal; without one (a pipe, CI) the answer is no: pass --yes.
  static func ask(_ command: [String]) -> Bool {
    guard isatty(STDIN_FILENO) == 1 else { return false }
    FileHandle.standardOutput.write(Data("Run: \(ShellQuoting.line(command))\nProceed? [y/N] ".utf8))
    return ["y", "yes"].contains(readLine()?.lowercased() ?? "")
  }

  /// `SALVAGE_TEST_CRASH_AT=<boundary>:<action>` kills this process with SIGKILL at that point.
  /// For the crash tests only: it simulates the machine dying mid-action.
  static func crashHook(_ environment: [String: String]) -> @Sendable (RunbookRunner.Boundary, String) -> Void {
    guard let spec = environment["SALVAGE_TEST_CRASH_AT"], let colon = spec.firstIndex(of: ":") else {
      return { _, _ in }
    }
    let point = String(spec[..<colon])
    let action = String(spec[spec.index(after: colon)...])
    return { boundary, id in
      if boundary.rawValue == point, id == action { kill(getpid(), SIGKILL) }
    }
  }

  /// Prints what stopped the run and turns it into the documented exit status.
  static func finish(_ outcome: RunbookRunner.Outcome, incident: IncidentID) throws {
    switch outcome {
    case .finished:
      say("Incident \(incident) is cleaned.")
    case .reached(let phase):
      say("Incident \(incident) reached \(phase.rawValue).")
    case .closed:
      say("Incident \(incident) is closed; nothing to do.")
    case .planned(let commands, let until):
      say("Dry run: nothing was changed. salvage would run, in order:")
      for command in commands { say("  " + ShellQuoting.line(command)) }
      if commands.isEmpty { say("  (no change)") }
      say("and then stop planning at \(until).")
    case .needsDecision(let types):
      let first = types.first ?? "T"
      throw CommandError(
        status: .needsDecision,
        description: "a strategy decision is needed for \(types.joined(separator: ", ")): "
          + "record it with 'salvage decide --type \(first) …', then run again")
    case .blocked(let reason):
      throw CommandError(status: .needsOperator, description: reason)
    case .needsPollersGone(let identities):
      throw CommandError(
        status: .needsOperator,
        description: "workers still poll the bad version (\(identities.joined(separator: ", "))): stop them, then run again")
    case .declined(let command):
      throw CommandError(
        status: .declined,
        description: "not confirmed: \(command.prefix(5).joined(separator: " ")) … (pass --yes to run without asking)")
    case .stepDone(let step):
      say("Step \(step.rawValue) of \(incident) is done; next: salvage run (or the next step's command).")
    case .notReady(let asked, let next):
      throw CommandError(
        status: .incident,
        description: "incident \(incident) is not at \(asked.rawValue) yet: run 'salvage \(next.rawValue)' "
          + "(or 'salvage run') first")
    }
  }
}
