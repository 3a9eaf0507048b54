import ArgumentParser
import Foundation
import SalvageCore

#if canImport(Glibc)
  import Glibc
#endif

extension SalvageCommand {
  struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Follow an incident live while another shell drives it (read-only, no lease).",
      discussion: """
        Shows the phase, who drives, the action in flight, batch and chunk progress, what a wait \
        waits for, and the next thing to do. On a terminal the screen is redrawn in place; in a \
        pipe each change is one line. Ends when the incident is cleaned or closed, or at --until.
        """)

    @OptionGroup var journal: JournalOptions

    @Option(help: "Stop watching once the incident reaches this phase.")
    var until: PhaseArgument?

    @Option(help: "Seconds between two looks at the journal (default 0.5).")
    var interval: Double = 0.5

    func validate() throws {
      guard interval.isFinite, (0.05...60).contains(interval) else {
        throw ValidationError("--interval must be a number of seconds from 0.05 to 60")
      }
    }

    func run() async throws {
      let environment = LiveEnvironment.variables
      let opened = try journal.openIncident(environment)
      let watcher = IncidentWatcher(
        store: opened.store, incident: opened.id, until: until?.phase,
        watcher: LiveEnvironment.run(operatorName: "watch"), isRunning: LiveEnvironment.isRunning,
        now: LiveEnvironment.now, interval: .milliseconds(Int(interval * 1000)))
      let screen = WatchScreen(
        isTerminal: Terminal.isTerminal(STDOUT_FILENO),
        width: { Terminal.width(of: STDOUT_FILENO, environment) },
        write: { StandardStreams.output($0) })
      switch try await watcher.watch(on: screen) {
      case .cleaned: screen.end("Incident \(opened.id) is cleaned.")
      case .closed: screen.end("Incident \(opened.id) is closed.")
      case .reached(let phase): screen.end("Incident \(opened.id) reached \(phase.rawValue).")
      case .elsewhere(let why): screen.end(why)
      case .stoppedLooking: break
      }
    }
  }
}
