import ArgumentParser
import Foundation
import SalvageCore
import SalvageJournal

extension SalvageCommand {
  struct Open: AsyncParsableCommand, JSONSpeaking, HasOutput {
    static let configuration = CommandConfiguration(
      abstract: "Open an incident about a bad rollout (creates the journal if needed).")

    @OptionGroup var journal: JournalOptions

    @Option(help: "The Worker Deployment whose rollout went bad.")
    var deployment: String

    @Option(help: "The faulty build id.")
    var badBuild: String

    @Option(help: "The previous good build id.")
    var goodBuild: String

    @Option(help: "The Temporal namespace.")
    var namespace = "default"

    @Option(help: "A one-line title (default: names the deployment and builds).")
    var title: String?

    @OptionGroup var outputOptions: OutputOptions<OpenOutput>

    /// What `--output` prints.
    enum OpenOutput: OutputHelp {
      static let help: ArgumentHelp = "Print the opened incident as text or json."
    }

    @Flag(
      help:
        "Open it even if an open incident already covers this deployment and bad build (recorded).")
    var force = false

    func run() async throws {
      let environment = LiveEnvironment.variables
      let opened = try IncidentOpened(
        deployment: TemporalNames.deployment(deployment),
        badBuild: TemporalNames.badBuildID(badBuild),
        goodBuild: TemporalNames.buildID(goodBuild, role: "good"),
        namespace: TemporalNames.namespace(namespace),
        title: Self.title(title, deployment: deployment, bad: badBuild, good: goodBuild),
        operatorName: journal.operatorName(environment))
      guard opened.badBuild != opened.goodBuild else {
        throw InputError("bad build and good build are both \(Quoted(badBuild))")
      }
      let id =
        try journal.explicitIncident()
        ?? IncidentID.derived(from: opened.deployment, at: LiveEnvironment.now())
      let store = try journal.openJournal(environment, create: true)
      let writer = IncidentOwner.writer(store, id, actor: opened.operatorName)
      try writer.update { state in
        if state != nil {
          throw CommandError.incident("incident \(id) already exists in \(store.path)")
        }
        let twins = try Self.openIncidents(on: opened, in: store)
        guard twins.isEmpty || force else {
          throw CommandError.incident(
            "incident \(twins.joined(separator: ", ")) is already open for \(opened.deployment) bad build "
              + "\(opened.badBuild) in \(store.path): use it (--incident), or open another with --force"
          )
        }
        return [.opened(opened.forced(beside: twins))]
      }
      guard let state = try store.state(of: id) else { preconditionFailure("opened but not found") }
      let view = StatusView(state)
      say(output == .json ? try JSONOutput.render(view) : "Opened " + view.text)
    }

    /// The open incidents of `store` on the same deployment and bad build as `opened`.
    static func openIncidents(on opened: IncidentOpened, in store: SQLiteEventJournal) throws
      -> [String]
    {
      try store.incidents().filter(\.isOpen).compactMap { summary in
        guard let details = try store.state(of: summary.incident)?.details,
          details.deployment == opened.deployment, details.badBuild == opened.badBuild
        else { return nil }
        return summary.incident.rawValue
      }
    }

    static func title(_ given: String?, deployment: String, bad: String, good: String)
      throws(InputError) -> String
    {
      guard let given else {
        return "Bad rollout of \(deployment): build \(bad) (good build \(good))"
      }
      let trimmed = given.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.contains(where: \.isNewline), trimmed.count <= 200 else {
        throw InputError("title must be one non-empty line of at most 200 characters")
      }
      return trimmed
    }
  }
}
