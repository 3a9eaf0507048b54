public import SalvageCore

/// The exact argv of every call salvage makes, built in one place.
///
/// Pure, so a dry run prints exactly what a real run executes, and the journal records it. Global
/// flags come after the subcommand, which the CLI accepts, so each argv reads like the runbook.
public struct TemporalArguments: Sendable {
  public let connection: TemporalConnection

  public init(connection: TemporalConnection) { self.connection = connection }

  private func command(
    _ words: [String], _ flags: [String], identity: String? = nil, output: String? = "json"
  ) -> [String] {
    var argv = [connection.executable] + words + flags + connection.flags
    if let identity { argv += ["--identity", identity] }
    if let output { argv += ["--output", output] }
    return argv
  }

  public func describeDeployment(_ name: String) -> [String] {
    command(["worker", "deployment", "describe"], ["--name", name])
  }

  public func describeVersion(_ version: WorkerDeploymentVersion) -> [String] {
    command(
      ["worker", "deployment", "describe-version"],
      ["--deployment-name", version.deploymentName, "--build-id", version.buildID])
  }

  public func setCurrentVersion(_ version: WorkerDeploymentVersion, context: ChangeContext) -> [String] {
    command(
      ["worker", "deployment", "set-current-version"],
      ["--deployment-name", version.deploymentName, "--build-id", version.buildID, "--yes"],
      identity: context.identity)
  }

  public func setRampingVersion(
    _ version: WorkerDeploymentVersion, percentage: Double, context: ChangeContext
  ) -> [String] {
    command(
      ["worker", "deployment", "set-ramping-version"],
      [
        "--deployment-name", version.deploymentName, "--build-id", version.buildID,
        "--percentage", Self.number(percentage), "--yes",
      ], identity: context.identity)
  }

  /// Removes the ramp. Deliberately without `--build-id`: with it, `--delete` is a silent no-op.
  public func removeRamp(deployment: String, context: ChangeContext) -> [String] {
    command(
      ["worker", "deployment", "set-ramping-version"],
      ["--deployment-name", deployment, "--delete", "--yes"], identity: context.identity)
  }

  public func count(_ query: String) -> [String] {
    command(["workflow", "count"], ["--query", query])
  }

  public func list(_ query: String) -> [String] {
    command(["workflow", "list"], ["--query", query], output: "jsonl")
  }

  public func updateOptions(query: String, pinTo version: WorkerDeploymentVersion, context: ChangeContext)
    -> [String]
  {
    command(
      ["workflow", "update-options"],
      ["--query", query] + Self.pinned(version) + ["--reason", context.reason, "--yes"],
      identity: context.identity)
  }

  public func resetWithMove(
    query: String, to target: ResetTarget, pinTo version: WorkerDeploymentVersion,
    context: ChangeContext
  ) -> [String] {
    command(
      ["workflow", "reset", "with-workflow-update-options"],
      [
        "--query", query, "--type", target.rawValue, "--reapply-exclude", "All",
        "--reason", context.reason,
      ] + Self.pinned(version) + ["--yes"], identity: context.identity)
  }

  public func describeBatch(_ id: BatchJobID) -> [String] {
    command(["batch", "describe"], ["--job-id", id.rawValue])
  }

  public func describeWorkflow(id: String, runID: String?) -> [String] {
    command(["workflow", "describe"], ["--workflow-id", id] + (runID.map { ["--run-id", $0] } ?? []))
  }

  /// Pollers with their deployment versions: only legacy mode lists them.
  public func describeTaskQueue(_ name: String, type: String) -> [String] {
    command(
      ["task-queue", "describe"],
      ["--task-queue", name, "--task-queue-type-legacy", type, "--legacy-mode"])
  }

  public func deleteVersion(_ version: WorkerDeploymentVersion, context: ChangeContext) -> [String] {
    command(
      ["worker", "deployment", "delete-version"],
      ["--deployment-name", version.deploymentName, "--build-id", version.buildID],
      identity: context.identity)
  }

  private static func pinned(_ version: WorkerDeploymentVersion) -> [String] {
    [
      "--versioning-override-behavior", "pinned",
      "--versioning-override-deployment-name", version.deploymentName,
      "--versioning-override-build-id", version.buildID,
    ]
  }

  static func number(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
