import Foundation
import SalvageFakes
import SalvageTestSupport
import Testing

@testable import SalvageCLI

/// The links salvage writes, opened in headless Chromium against a real dev server's Web UI: each
/// page shows the run, the batch or the version it links to. (Chromium comes from Debian's
/// packages: `tools/screenshot-timeline.sh`, which `tools/test` runs before the tests.)
@Suite(.tags(.integration)) struct WebUIPagesIntegrationTests {
  static let browser = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// The page's DOM once its scripts have run (15 s of virtual time).
  func dom(_ url: String) async throws -> String {
    let browser = try #require(
      Self.browser, "Chromium is not installed: run tools/screenshot-timeline.sh")
    let result = try await runChildProcess(
      URL(fileURLWithPath: browser),
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=15000",
        "--dump-dom", url,
      ])
    #expect(result.status == 0, "\(result.stderr.suffix(300))")
    return result.stdout
  }

  @Test func aRunsABatchsAndAVersionsLinksOpenThePagesThatShowThem() async throws {
    // Given a dev server serving its Web UI, a completed run, a batch and two versions
    let scenario = try await Scenario(ui: true)
    defer { scenario.down() }
    let ui = try #require(scenario.uiAddress)
    let workflowID = try #require(
      try await scenario.start(type: "QuickWorkflow", count: 1, prefix: "ui-link").first)
    let connection = [
      "--address", scenario.address, "--disable-config-file", "--disable-config-env", "-o", "json",
    ]
    let described = try await runChildProcess(
      URL(fileURLWithPath: scenario.temporal),
      ["workflow", "describe", "--workflow-id", workflowID] + connection)
    let runID = try #require(
      described.stdout.firstMatch(of: /"runId":\s*"([0-9a-f-]{36})"/)?.output.1)
    let batch = try await runChildProcess(
      URL(fileURLWithPath: scenario.temporal),
      [
        "workflow", "signal", "--query", "WorkflowId = 'no-such-workflow'", "--name", "nudge",
        "--reason", "a batch to link to", "--yes",
      ] + connection)
    let job = try #require(
      batch.stdout.firstMatch(of: /"batchJobId":\s*"([^"]+)"/)?.output.1, "\(batch.stderr)")

    // When salvage's links to them are opened in the browser
    let links = try WebUILinks(address: ui, namespace: "default")
    let run = try await dom(links.workflow(workflowID, run: String(runID)))
    let batchPage = try await dom(links.batch(String(job)))
    let version = try await dom(links.version(deployment: "orders", build: "good"))

    // Then each page shows what it links to, and none is the UI's Not Found
    #expect(run.contains(workflowID) && run.contains("QuickWorkflow"))
    #expect(batchPage.contains(String(job)))
    #expect(version.contains("orders:good") && version.contains(workflowID))
    for page in [run, batchPage, version] { #expect(!page.contains("Not Found")) }
  }
}
