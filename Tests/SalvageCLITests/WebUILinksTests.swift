import Foundation
import SalvageCore
import SalvageFakes
import Testing

@testable import SalvageCLI

/// Links into Temporal's Web UI: the page paths the UI itself serves, each id one path segment.
@Suite struct WebUILinksTests {
  @Test func eachKindOfPageHasTheUIsOwnPathUnderTheNamespace() throws {
    // Given the dev server's UI address, with a trailing slash
    let links = try WebUILinks(address: "http://localhost:8233/", namespace: "default")
    // Then a run, a batch and a version link to the UI's pages for them (a version to its
    // Workflows, as the UI's own deployment page does)
    #expect(
      links.workflow("order-1", run: "01a2-b3")
        == "http://localhost:8233/namespaces/default/workflows/order-1/01a2-b3/history")
    #expect(
      links.batch("salvage/orders-demo/recover-OrderWorkflow-1")
        == "http://localhost:8233/namespaces/default/batch-operations/salvage%2Forders-demo%2Frecover-OrderWorkflow-1"
    )
    #expect(
      links.version(deployment: "orders", build: "bad")
        == "http://localhost:8233/namespaces/default/workflows?query="
        + "TemporalWorkerDeploymentVersion%20%3D%20%27orders%3Abad%27")
  }

  @Test func anIdThatIsNotAPlainWordStaysOneSegment() throws {
    // Given a UI under a path prefix and a namespace and workflow id with reserved characters
    let links = try WebUILinks(address: "https://ui.example.com/temporal", namespace: "team a")
    // Then every character outside the unreserved set is percent-encoded
    #expect(
      links.workflow("a/b?c#d e|ü", run: "r")
        == "https://ui.example.com/temporal/namespaces/team%20a/workflows/a%2Fb%3Fc%23d%20e%7C%C3%BC/r/history"
    )
  }

  @Test func aBatchJobIdThatTriesToCloseItsLinkStaysTheLinksText() throws {
    // Given an incident whose batch job id tries to end its link and open one of its own
    let job = #"x\](https://evil.example/) [y"#
    let facts: [IncidentEvent] = [
      EventFactory.opened,
      .actionStarted(
        ActionStarted(
          action: "recover-A-1", step: .recover, subject: "A", safety: .runOnce,
          command: ["temporal", "batch"], identity: "salvage/inc/recover-A-1")),
      .actionSucceeded(ActionSucceeded(action: "recover-A-1", batchJob: job)),
    ]
    let incident = try #require(IncidentID(rawValue: "inc-links"))
    let events = recordedEvents(facts, of: incident)
    // When its Markdown timeline links the batch
    let links = try WebUILinks(address: "http://ui", namespace: "default")
    let markdown = TimelineMarkdown.render(Timeline(incident, events), links: links)
    // Then the id's brackets and backslash are escaped inside the one link to the batch's page
    #expect(
      markdown.contains(
        #"[x\\\](https://evil.example/) \[y](http://ui/namespaces/default/batch-operations/"#
          + "x%5C%5D%28https%3A%2F%2Fevil.example%2F%29%20%5By)"))
    #expect(!markdown.contains("[x](https://evil.example/)"))
  }

  @Test(arguments: [
    ("localhost:8233", WebUIAddressError.notAnAddress),
    ("ftp://localhost:8233", .notAnAddress),
    ("http://", .notAnAddress),
    ("https://admin:hunter2@ui.example.com", .carriesCredentials),
    ("http://localhost:8233/?x=1", .hasQuery),
    ("http://localhost:8233/#top", .hasQuery),
    ("http://ui.example.com/a b", .notAnAddress),
    ("http://ui.example.com/a)b", .notAnAddress),
    ("http://ui.example.com/a\"b", .notAnAddress),
  ])
  func anAddressThatCannotBeLinkedIsRefused(address: String, error: WebUIAddressError) {
    #expect(throws: error) { try WebUILinks(address: address, namespace: "default") }
  }
}

/// `--ui-url` and `TEMPORAL_UI_URL` on the commands that link, on the incident recorded on a real
/// dev server.
@Suite(.tags(.integration)) struct WebUILinksCommandTests {
  /// `TemporalWorkerDeploymentVersion = 'orders:BUILD'`, percent-encoded.
  static func query(_ build: String) -> String {
    "TemporalWorkerDeploymentVersion%20%3D%20%27orders%3A\(build)%27"
  }

  func demo(adopted: Bool = false) async throws -> CLIFixture {
    let fixture = try CLIFixture()
    let imported =
      adopted
      ? try await fixture.salvage("import", "--adopt", TimelineGoldenTests.fixture)
      : try await fixture.salvage("import", TimelineGoldenTests.fixture)
    #expect(imported.status == 0, "\(imported.stderr)")
    return fixture
  }

  @Test func targetsLinkEachOldAndNewRunToItsHistoryPage() async throws {
    // Given the demo incident and the dev server's UI address
    let fixture = try await demo()
    // When its compensation list is asked for as CSV and as JSON with the address
    let csv = try await fixture.salvage(
      "targets", "--format", "csv", "--ui-url", "http://localhost:8233")
    let json = try await fixture.salvage(
      "targets", "--output", "json", environment: ["TEMPORAL_UI_URL": "http://localhost:8233"])
    // Then the CSV has two link columns, the new run's empty when a batch did not name it
    #expect(csv.status == 0, "\(csv.stderr)")
    let rows = csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    #expect(rows.first?.hasSuffix(",note,pinned_to,old_run_url,new_run_url") == true)
    let page = "http://localhost:8233/namespaces/default/workflows"
    #expect(
      rows.contains {
        $0.hasPrefix("stuck-reportworkflow-0,")
          && $0.hasSuffix(
            ",\(page)/stuck-reportworkflow-0/01a2324e-30cf-7484-8943-0887dd0eb651/history,"
              + "\(page)/stuck-reportworkflow-0/01a2324e-66ad-7332-abed-92e809fedb66/history")
      })
    #expect(
      rows.contains {
        $0.hasPrefix("stuck-orderworkflow-0,")
          && $0.hasSuffix(
            ",\(page)/stuck-orderworkflow-0/01a2324e-3065-7ce8-aecf-832ad6a02c40/history,")
      })
    // And the JSON rows carry the same links beside their own fields
    #expect(json.status == 0, "\(json.stderr)")
    let objects = try #require(
      JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(objects.count == 14)
    #expect(objects.allSatisfy { ($0["oldRunURL"] as? String)?.hasPrefix(page) == true })
    #expect(objects.filter { $0["newRunURL"] is String }.count == 8)
  }

  @Test func timelinesLinkTheVersionsAndEachBatchJob() async throws {
    // Given the demo incident, and the UI address in the environment
    let fixture = try await demo()
    let ui = ["TEMPORAL_UI_URL": "http://localhost:8233"]
    // When its timeline is rendered as Markdown and as HTML
    let markdown = try await fixture.salvage("timeline", environment: ui)
    let html = try await fixture.salvage("timeline", "--format", "html", environment: ui)
    // Then both link the bad and good versions and each batch job to their pages
    let namespace = "http://localhost:8233/namespaces/default"
    let batch = "\(namespace)/batch-operations/salvage%2Forders-demo%2Frecover-OrderWorkflow-1"
    #expect(markdown.status == 0, "\(markdown.stderr)")
    #expect(
      markdown.stdout.contains(
        "| Bad build | bad ([in the UI](\(namespace)/workflows?query=\(Self.query("bad")))) |"))
    #expect(
      markdown.stdout.contains("[salvage/orders-demo/recover-OrderWorkflow-1](\(batch))"))
    #expect(html.status == 0, "\(html.stderr)")
    #expect(
      html.stdout.contains(
        "<a href=\"\(namespace)/workflows?query=\(Self.query("good"))\">good</a>"))
    #expect(
      html.stdout.contains(
        "<a href=\"\(batch)\">salvage/orders-demo/recover-OrderWorkflow-1</a>"))
    // And without an address neither has a link
    let plain = try await fixture.salvage("timeline", "--format", "html")
    #expect(!plain.stdout.contains("<a href"))
  }

  @Test func aMalformedUIAddressInTheEnvironmentIsIgnoredWithAWarning() async throws {
    // Given the demo incident and a TEMPORAL_UI_URL without its scheme
    let fixture = try await demo()
    // When the timeline is rendered
    let result = try await fixture.salvage(
      "timeline", environment: ["TEMPORAL_UI_URL": "localhost:8233"])
    // Then it is rendered without links, and one warning says why
    #expect(result.status == 0)
    #expect(!result.stdout.contains("](http"))
    #expect(
      result.stderr
        == "salvage: warning: TEMPORAL_UI_URL ignored: the Web UI address must be http:// or "
        + "https:// and a host, like http://localhost:8233\n")
  }

  @Test func aUIAddressWithCredentialsIsRefusedInOneLineAndNothingIsRecorded() async throws {
    // Given the demo incident, adopted so that this journal drives it, its events counted
    let fixture = try await demo(adopted: true)
    let before = try await fixture.salvage("log", "--output", "jsonl").stdout
    // When a handoff names a UI address that carries a password
    let result = try await fixture.salvage(
      "handoff", "--to", "bob", "--ui-url", "https://admin:hunter2@ui.example.com")
    // Then it exits 64 with one line that does not repeat the password, and records nothing
    #expect(result.status == 64)
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(result.stderr.contains("must not carry a user or password"))
    #expect(!result.stderr.contains("hunter2"))
    #expect(try await fixture.salvage("log", "--output", "jsonl").stdout == before)
  }
}
